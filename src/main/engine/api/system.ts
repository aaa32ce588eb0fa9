// system.health / system.status: liveness, queue depth and failing endpoints (the status strip).
import type Database from 'better-sqlite3';
import type { Handlers } from '../../../shared';
import { VERSION } from '../../../shared/version';
import type { EngineContext } from '../context';
import { iso } from '../db/util';
import type { HandlerParts } from './index';

export function systemHandlers(
  ctx: EngineContext,
  { inbox, startedAt, isRunning }: HandlerParts,
): Pick<Handlers, 'system.health' | 'system.status'> {
  const db: Database.Database = ctx.db;
  const q = {
    // One count per partial index (migration 3): finished history is in none of them, so this stays cheap
    // however many deliveries are stored. The status literals must match the indexes' WHERE clauses.
    queue: db.prepare<[], { status: string; n: number }>(
      `SELECT 'pending' AS status, COUNT(*) AS n FROM deliveries WHERE status = 'pending'
       UNION ALL SELECT 'sending', COUNT(*) FROM deliveries WHERE status = 'sending'
       UNION ALL SELECT status, COUNT(*) FROM deliveries WHERE status IN ('paused', 'failed') GROUP BY status`,
    ),
    endpoints: db.prepare<[], { total: number; disabled: number; failing: number }>(
      `SELECT COUNT(*) AS total, COALESCE(SUM(enabled = 0), 0) AS disabled,
         COALESCE(SUM(enabled = 1 AND consecutive_failures > 0), 0) AS failing
       FROM endpoints WHERE deleted_at IS NULL AND kind = 'user'`,
    ),
  };
  return {
    'system.health': () => ({ ok: true as const, version: VERSION }),
    'system.status': () => {
      const counts = new Map(q.queue.all().map((r) => [r.status, r.n]));
      const eps = q.endpoints.get() ?? { total: 0, disabled: 0, failing: 0 };
      return {
        running: isRunning(),
        version: VERSION,
        startedAt: iso(startedAt),
        queue: {
          pending: counts.get('pending') ?? 0,
          sending: counts.get('sending') ?? 0,
          paused: counts.get('paused') ?? 0,
          failed: counts.get('failed') ?? 0,
        },
        endpoints: eps,
        inboxBaseUrl: inbox.baseUrl(),
      };
    },
  };
}
