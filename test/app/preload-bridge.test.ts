// The preload's bridge against a fake ipcRenderer: what the page can reach, and nothing more.
import { describe, expect, it } from 'vitest';
import { createBridge, type IpcRendererLike } from '../../src/preload/bridge';
import { IPC_CALL, IPC_PUSH } from '../../src/shared';

type RawListener = (event: unknown, ...args: unknown[]) => void;

class FakeIpcRenderer implements IpcRendererLike {
  readonly invoked: unknown[][] = [];
  readonly listeners = new Map<string, Set<RawListener>>();
  reply: unknown = { ok: true, data: { ok: true, version: '1' } };
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, ...args]);
    return this.reply;
  }
  on(channel: string, listener: RawListener) {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    return this;
  }
  removeListener(channel: string, listener: RawListener) {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  /** what main's webContents.send(IPC_PUSH, topic, payload) looks like on this side */
  push(topic: unknown, payload: unknown) {
    const event = { sender: 'the raw IpcRendererEvent', ports: [] };
    for (const fn of this.listeners.get(IPC_PUSH) ?? []) fn(event, topic, payload);
  }
  count = (channel: string) => this.listeners.get(channel)?.size ?? 0;
}

describe('preload bridge', () => {
  it('exposes only call and on', () => {
    const bridge = createBridge(new FakeIpcRenderer());
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on']);
  });

  it('call invokes the one call channel with the route and input, and resolves to the CallResult', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    expect(await bridge.call('endpoints.get', { id: 'ep_1' })).toEqual({ ok: true, data: { ok: true, version: '1' } });
    await bridge.call('system.health', undefined);
    expect(ipc.invoked).toEqual([
      [IPC_CALL, 'endpoints.get', { id: 'ep_1' }],
      [IPC_CALL, 'system.health', {}],
    ]);
  });

  it('refuses routes that are not in the table without reaching main', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    expect(await bridge.call('endpoints.nuke', {})).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'Unknown route endpoints.nuke' },
    });
    expect((await bridge.call('toString', {})).ok).toBe(false);
    expect((await bridge.call(42 as unknown as string, {})).ok).toBe(false);
    expect(ipc.invoked).toEqual([]);
  });

  it('delivers a topic payload (and only the payload) to that topic listeners', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const got: unknown[][] = [];
    const other: unknown[] = [];
    bridge.on('delivery.updated', (...args: unknown[]) => got.push(args));
    bridge.on('event.created', (p) => other.push(p));
    ipc.push('delivery.updated', { id: 'dlv_1' });
    ipc.push('no.such.topic', { id: 'x' });
    ipc.push(7, { id: 'x' });
    expect(got).toEqual([[{ id: 'dlv_1' }]]);
    expect(other).toEqual([]);
  });

  it('refuses unknown topics and non-function listeners', () => {
    const bridge = createBridge(new FakeIpcRenderer());
    expect(() => bridge.on('delivery.deleted', () => {})).toThrow(/Unknown topic/);
    expect(() => bridge.on('hasOwnProperty', () => {})).toThrow(/Unknown topic/);
    expect(() => bridge.on('delivery.updated', 'not a fn' as unknown as () => void)).toThrow(/function/);
  });

  it('unsubscribe removes exactly its own listener, even for the same function subscribed twice', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const seen: string[] = [];
    const fn = (p: unknown) => seen.push((p as { id: string }).id);
    const off1 = bridge.on('delivery.updated', fn);
    const off2 = bridge.on('delivery.updated', fn);
    const offOther = bridge.on('delivery.updated', () => seen.push('other'));
    ipc.push('delivery.updated', { id: 'a' });
    expect(seen).toEqual(['a', 'a', 'other']);
    off1();
    off1(); // twice is harmless and does not remove the second subscription
    ipc.push('delivery.updated', { id: 'b' });
    expect(seen.slice(3)).toEqual(['b', 'other']);
    off2();
    offOther();
    ipc.push('delivery.updated', { id: 'c' });
    expect(seen).toHaveLength(5);
    // with nobody listening the bridge lets go of the IPC channel, and picks it up again when needed
    expect(ipc.count(IPC_PUSH)).toBe(0);
    const again: unknown[] = [];
    bridge.on('delivery.updated', (p) => again.push(p));
    off1();
    ipc.push('delivery.updated', { id: 'd' });
    expect(again).toEqual([{ id: 'd' }]);
    expect(ipc.count(IPC_PUSH)).toBe(1);
  });

  it('a listener that throws does not stop the others', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const seen: unknown[] = [];
    const original = console.error;
    console.error = () => {};
    try {
      bridge.on('settings.updated', () => {
        throw new Error('boom');
      });
      bridge.on('settings.updated', (p) => seen.push(p));
      ipc.push('settings.updated', {});
    } finally {
      console.error = original;
    }
    expect(seen).toEqual([{}]);
  });
});
