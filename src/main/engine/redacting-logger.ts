// Every engine log line passes through redaction: a URL anywhere in the message or the fields (an endpoint URL, an
// error text quoting one) loses its userinfo and query values. One wrapper, so a new log call cannot forget it.
import { redactFields, redactUrlsIn } from '../../shared';
import type { Logger } from './types';

const REDACTED = Symbol('redacted');

export function redactingLogger(log: Logger): Logger {
  if ((log as { [REDACTED]?: true })[REDACTED]) return log;
  const at =
    (level: keyof Logger) =>
    (msg: string, fields?: Record<string, unknown>): void =>
      log[level](redactUrlsIn(msg), fields === undefined ? undefined : redactFields(fields));
  return Object.assign(
    { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    { [REDACTED]: true as const },
  );
}
