// Fakes of the Electron objects the IPC transport is typed against (structural interfaces, no `electron`).
import type {
  FrameLike,
  InvokeEventLike,
  InvokeListener,
  IpcMainLike,
  WebContentsLike,
} from '../../../src/main/transports/ipc';

/** ipcMain as a Map of channel -> handler; `invoke` runs a handler as Electron would for a renderer's invoke. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener): void {
    // Electron throws on a second handler for one channel; so does the fake, so double registration is caught
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  }
}

export const topFrame = (url: string): FrameLike => ({ url, parent: null });
export const childFrame = (url: string, parentUrl: string): FrameLike => ({ url, parent: topFrame(parentUrl) });

export class FakeWebContents implements WebContentsLike {
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  destroyed = false;
  failing = false;
  send(channel: string, ...args: unknown[]): void {
    if (this.failing) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}
