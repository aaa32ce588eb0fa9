// Push topics to every live window: `webContents.send(IPC_PUSH, topic, payload)`. Payloads are checked against
// their topic's schema and `delivery.updated` is coalesced by the same modules SSE uses (../topic-payload,
// ../topic-coalescer), so a window and a browser hear the same thing.
import { IPC_PUSH, type TopicName } from '../../../shared';
import type { Engine, Logger } from '../../engine/types';
import { createTopicCoalescer, type TopicCoalescerOptions } from '../topic-coalescer';
import { checkTopicPayload } from '../topic-payload';
import type { WebContentsLike } from './types';

export interface ForwardTopicsOptions extends TopicCoalescerOptions {
  /** told about payloads outside their topic's schema (they are not forwarded) */
  log?: Logger;
}

/** Forwards every engine topic to the windows `getTargets` returns; the returned function stops forwarding. */
export function forwardTopics(
  engine: Pick<Engine, 'onAny'>,
  getTargets: () => readonly WebContentsLike[],
  opts: ForwardTopicsOptions = {},
): () => void {
  const send = (topic: TopicName, payload: unknown): void => {
    for (const wc of getTargets()) {
      if (wc.isDestroyed()) continue;
      try {
        wc.send(IPC_PUSH, topic, payload);
      } catch {
        // a window closing between isDestroyed() and send() must not stop the others from hearing the topic
      }
    }
  };
  const coalescer = createTopicCoalescer(send, opts);
  const unsubscribe = engine.onAny((topic, payload) => {
    const checked = checkTopicPayload(topic, payload, opts.log);
    if (checked.ok) coalescer.push(checked.topic, checked.payload);
  });

  return () => {
    unsubscribe();
    coalescer.dispose();
  };
}
