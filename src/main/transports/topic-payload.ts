// The one check of a push payload against its topic's schema, for both transports (IPC to windows, SSE to
// browsers): a payload that does not fit the contract never leaves the process, and one that does is stripped to
// it, as dispatch strips a route's output.
import { isTopicName, type TopicName, topics } from '../../shared';
import type { Logger } from '../engine/types';

export type TopicPayloadCheck = { ok: true; topic: TopicName; payload: unknown } | { ok: false };

export function checkTopicPayload(topic: string, payload: unknown, log?: Logger): TopicPayloadCheck {
  if (!isTopicName(topic)) {
    log?.warn('push on a topic outside the contract', { topic });
    return { ok: false };
  }
  const parsed = topics[topic].safeParse(payload);
  if (!parsed.success) {
    // the topic only, never the payload: it may carry request data
    log?.warn('push payload outside its topic schema', { topic });
    return { ok: false };
  }
  return { ok: true, topic, payload: parsed.data };
}
