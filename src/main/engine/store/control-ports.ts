// What the endpoints, settings and system handlers act on besides endpoint storage, as ports, so one handler module
// serves both stores: SQLite's classes answer synchronously, PostgreSQL's with promises. Both give the same answers
// and emit the same topics (test/engine/endpoint-control-conformance.test.ts, endpoint-stats-conformance.test.ts).
import type { Endpoint, EndpointStatsOutput, EngineStatus, ReplayMissingOutput, StatsWindow } from '../../../shared';
import type { Awaitable } from '../delivery/state-store';
import type { ReplayInput } from '../endpoints/replay';

/** Enabling, disabling and deleting endpoints, with what each does to their waiting deliveries. */
export interface EndpointControlPort {
  /** resumes the endpoint's paused deliveries (due now) and wakes the dispatcher for them; not_found */
  enable(id: string): Awaitable<Endpoint>;
  /** a manual disable: its pending deliveries are paused; no notification (the user did it); not_found */
  disable(id: string, reason?: string): Awaitable<Endpoint>;
  /** soft delete: gone from lists, waiting deliveries cancelled, history kept; not_found */
  delete(id: string): Awaitable<void>;
  /**
   * the events of a range it subscribes to and has no delivery of, each given one (pending, or paused when it was
   * auto-disabled) in one transaction, oldest first, at most REPLAY_LIMIT; not_found, conflict when disabled by hand
   */
  replayMissing(input: ReplayInput): Awaitable<ReplayMissingOutput>;
  /** the system endpoint follows settings.notificationUrl: re-pointed and resumed, or paused when cleared */
  syncNotificationUrl(url: string | null): Awaitable<void>;
}

/** The aggregate behind endpoints.stats: attempts of a window per endpoint and per bucket. */
export interface EndpointStatsPort {
  query(window: StatsWindow, nowMs: number, endpointId?: string): Awaitable<EndpointStatsOutput>;
}

/** What the database contributes to system.status; the rest (running, version, ...) is the process's own. */
export type StatusFigures = Pick<EngineStatus, 'queue' | 'endpoints'>;

export interface StatusPort {
  /** queue depth by waiting status and the user's endpoints (total, disabled, failing) */
  figures(): Awaitable<StatusFigures>;
}
