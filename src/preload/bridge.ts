// The body of `window.hookbench`, written against a structural ipcRenderer so it is tested under plain Node.
// The page gets two functions and nothing raw: no ipcRenderer, no event objects, no channel names.
import { type CallResult, type HookbenchBridge, IPC_CALL, IPC_PUSH } from '../shared/bridge';
import { isRouteName } from '../shared/routes';
import { isTopicName } from '../shared/topics';

/** Electron's ipcRenderer, as far as the bridge uses it. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type Listener = (payload: unknown) => void;

export function createBridge(ipc: IpcRendererLike): HookbenchBridge {
  // One entry object per `on` call: subscribing the same function twice gives two subscriptions, and each
  // unsubscribe removes exactly its own.
  const byTopic = new Map<string, Set<{ fn: Listener }>>();
  let attached = false;

  const onPush = (_event: unknown, topic: unknown, payload: unknown): void => {
    if (typeof topic !== 'string') return;
    const entries = byTopic.get(topic);
    if (!entries) return;
    for (const entry of [...entries]) {
      try {
        entry.fn(payload);
      } catch (err) {
        // one faulty subscriber must not starve the others
        console.error(`hookbench: a ${topic} listener threw`, err);
      }
    }
  };

  return {
    async call(route: string, input: unknown): Promise<CallResult> {
      if (typeof route !== 'string') {
        return { ok: false, error: { code: 'invalid_input', message: 'The route name must be a string' } };
      }
      if (!isRouteName(route)) return { ok: false, error: { code: 'not_found', message: `Unknown route ${route}` } };
      return (await ipc.invoke(IPC_CALL, route, input ?? {})) as CallResult;
    },

    on(topic: string, fn: Listener): () => void {
      if (typeof topic !== 'string' || !isTopicName(topic)) throw new TypeError(`Unknown topic ${String(topic)}`);
      if (typeof fn !== 'function') throw new TypeError('The listener must be a function');
      if (!attached) {
        ipc.on(IPC_PUSH, onPush as (event: unknown, ...args: unknown[]) => void);
        attached = true;
      }
      let entries = byTopic.get(topic);
      if (!entries) {
        entries = new Set();
        byTopic.set(topic, entries);
      }
      const entry = { fn };
      entries.add(entry);
      return () => {
        if (!entries.delete(entry)) return;
        if (entries.size === 0 && byTopic.get(topic) === entries) byTopic.delete(topic);
        if (byTopic.size === 0 && attached) {
          ipc.removeListener(IPC_PUSH, onPush as (event: unknown, ...args: unknown[]) => void);
          attached = false;
        }
      };
    },
  };
}
