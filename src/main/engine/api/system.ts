// system.health / system.status: liveness, queue depth and failing endpoints (the status strip), on either store.
import type { Handlers } from '../../../shared';
import { VERSION } from '../../../shared/version';
import { iso } from '../db/util';
import type { StatusPort } from '../store/control-ports';
import type { HandlerContext } from './handler-context';

type SystemHandlers = Pick<Handlers, 'system.health' | 'system.status'>;

/** What the system handlers read: the database's figures (SqliteStatus or PgStatus) and the process's own state. */
export interface SystemHandlerParts {
  status: StatusPort;
  /** the inbox server's base URL; null when it is not running */
  inboxBaseUrl: () => string | null;
  /** unix ms the engine started */
  startedAt: number;
  /** false once stop() began */
  isRunning: () => boolean;
}

export function systemHandlers(
  _ctx: HandlerContext,
  { status, inboxBaseUrl, startedAt, isRunning }: SystemHandlerParts,
): SystemHandlers {
  return {
    'system.health': () => ({ ok: true as const, version: VERSION }),
    'system.status': async () => {
      const figures = await status.figures();
      return {
        running: isRunning(),
        version: VERSION,
        startedAt: iso(startedAt),
        queue: figures.queue,
        endpoints: figures.endpoints,
        inboxBaseUrl: inboxBaseUrl(),
      };
    },
  };
}
