// An engine's topic stream driven by the test (what transports subscribe to), and a delivery.updated payload.
import type { TopicName } from '../../src/shared';

type Listener = (topic: TopicName, payload: unknown) => void;

export function fakeTopicSource() {
  const listeners = new Set<Listener>();
  const subscribe = (fn: Listener) => {
    listeners.add(fn);
    return () => listeners.delete(fn);
  };
  return {
    listeners,
    /** EventHub's subscribe */
    subscribe,
    /** Engine#onAny, for forwardTopics */
    onAny: subscribe,
    emit: (topic: TopicName, payload: unknown) => {
      for (const fn of listeners) fn(topic, payload);
    },
  };
}

export const deliveryUpdate = (id: string, status: string, attemptCount = 0) => ({
  id,
  eventId: 'evt_1',
  endpointId: 'ep_1',
  status,
  attemptCount,
  maxAttempts: 8,
  lastStatus: null,
});
