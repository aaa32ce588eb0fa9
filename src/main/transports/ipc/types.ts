// Structural stand-ins for the few Electron objects the IPC transport touches. Typed this way (as Bruno's
// registerSQLiteIpc is) so that the transport never imports `electron` and is tested under plain Node with fakes;
// Electron's real ipcMain, WebFrameMain and WebContents satisfy these interfaces as they are.

/** The frame that sent an IPC message (Electron: WebFrameMain). */
export interface FrameLike {
  /** the frame's current URL */
  readonly url: string;
  /** the parent frame; null for a window's top frame */
  readonly parent: FrameLike | null;
}

/** The event ipcMain.handle passes to a listener (Electron: IpcMainInvokeEvent). */
export interface InvokeEventLike {
  /** null when the frame has navigated away or been destroyed since it sent the message */
  readonly senderFrame: FrameLike | null;
}

export type InvokeListener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

/** Electron's ipcMain, as far as the transport uses it. */
export interface IpcMainLike {
  handle(channel: string, listener: InvokeListener): void;
  removeHandler(channel: string): void;
}

/** A window's contents, as far as push forwarding uses it (Electron: WebContents). */
export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Decides whether a frame may call the engine. */
export type TrustedSenderCheck = (frame: FrameLike | null | undefined) => boolean;
