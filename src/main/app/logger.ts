// The engine's log in the Electron main process: the terminal that launched the app (and Console.app / journald).
import type { Logger } from '../engine/types';

export function consoleLogger(opts: { debug: boolean }): Logger {
  const line = (level: string, msg: string, fields?: Record<string, unknown>) =>
    fields && Object.keys(fields).length > 0
      ? `[hookbench] ${level} ${msg} ${JSON.stringify(fields)}`
      : `[hookbench] ${level} ${msg}`;
  return {
    debug: (msg, fields) => {
      if (opts.debug) console.debug(line('debug', msg, fields));
    },
    info: (msg, fields) => console.info(line('info', msg, fields)),
    warn: (msg, fields) => console.warn(line('warn', msg, fields)),
    error: (msg, fields) => console.error(line('error', msg, fields)),
  };
}
