// Electron's ipcMain.handle/removeHandler, reached from the page through page.exposeBinding. The event carries a
// senderFrame built from the real Playwright frame that called (its URL, its parent chain), so the app's
// trusted-sender check decides on what the page really is. Results cross back as copies, as Electron's do.
import type { Frame } from '@playwright/test';
import { record } from './record.ts';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export interface StandinFrame {
  readonly url: string;
  readonly parent: StandinFrame | null;
  readonly top: StandinFrame;
}

const handlers = new Map<string, Handler>();

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, handler);
    record.ipcHandlers.add(channel);
  },
  removeHandler(channel: string): void {
    handlers.delete(channel);
    record.ipcHandlers.delete(channel);
  },
};

export function frameOf(frame: Frame): StandinFrame {
  const parent = frame.parentFrame();
  const parentFrame = parent ? frameOf(parent) : null;
  const self: StandinFrame = { url: frame.url(), parent: parentFrame, top: null as never };
  return Object.assign(self, { top: parentFrame ? parentFrame.top : self });
}

/** One ipcRenderer.invoke from `frame` of the window whose webContents is `sender`. */
export async function invokeFromPage(
  frame: Frame,
  sender: unknown,
  channel: string,
  args: unknown[],
): Promise<unknown> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`No handler registered for '${channel}'`);
  const senderFrame = frameOf(frame);
  const result = await handler({ sender, senderFrame, frameId: 0, processId: 0 }, ...structuredClone(args));
  const error = (result as { ok?: boolean; error?: { code?: string } } | null)?.error;
  record.invokes.push({
    channel,
    frame: { url: senderFrame.url, top: senderFrame.parent === null },
    forbidden: error?.code === 'forbidden',
  });
  return structuredClone(result);
}
