// Every contract route on ONE ipcMain.handle channel: `invoke(IPC_CALL, routeName, input)`. The route table in
// src/shared decides what exists and how input is parsed (through callRoute, shared with HTTP), so no route is
// written twice and a renderer cannot reach anything the table does not declare.
import { type CallResult, type Handlers, HookbenchError, IPC_CALL } from '../../../shared';
import type { Logger } from '../../engine/types';
import { callRoute, errorResult } from '../dispatch';
import type { InvokeEventLike, IpcMainLike, TrustedSenderCheck } from './types';

export interface RegisterIpcOptions {
  /** where unexpected (internal) errors are logged, by route name and message only */
  log?: Logger;
}

/**
 * Registers the IPC call channel. Results are values (`{ ok, data }` / `{ ok, error }`), never rejections:
 * Electron keeps only the message of a rejected error, and the renderer needs the code and the issues.
 * Returns a function that removes the handler.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  handlers: Handlers,
  isTrustedSender: TrustedSenderCheck,
  opts: RegisterIpcOptions = {},
): () => void {
  ipcMain.handle(IPC_CALL, (event: InvokeEventLike, ...args: unknown[]) =>
    handleCall(handlers, isTrustedSender, event, args, opts.log),
  );
  return () => ipcMain.removeHandler(IPC_CALL);
}

async function handleCall(
  handlers: Handlers,
  isTrustedSender: TrustedSenderCheck,
  event: InvokeEventLike,
  args: unknown[],
  log: Logger | undefined,
): Promise<CallResult> {
  const [name, input] = args;
  const routeName = typeof name === 'string' ? name : undefined;
  try {
    // A frame that navigated elsewhere (senderFrame null), an iframe or a foreign page never reaches a handler.
    if (!isTrustedSender(event.senderFrame)) {
      throw new HookbenchError('forbidden', 'IPC call from an untrusted frame');
    }
    if (routeName === undefined) throw new HookbenchError('invalid_input', 'The route name must be a string');
    return { ok: true, data: await callRoute(handlers, routeName, input) };
  } catch (err) {
    return { ok: false, error: errorResult(err, log, routeName).body };
  }
}
