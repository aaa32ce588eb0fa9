// The attempt log's writes. Reads are in deliveries.ts (a delivery's detail lists its attempts).
import type Database from 'better-sqlite3';

/** One attempt as the log stores it. */
export interface AttemptRecord {
  deliveryId: string;
  endpointId: string;
  /** unique per delivery (a UNIQUE index holds it) */
  number: number;
  startedAt: number;
  durationMs: number;
  succeeded: boolean;
  /** JSON of the request as sent (or without its body, rendered again when read) */
  request: string;
  response: string | null;
  error: string | null;
  /** a late result whose lease no longer held: it changed no state */
  superseded: boolean;
}

export class AttemptStore {
  private readonly insertStmt;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, succeeded, request, response,
         error, superseded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  insert(a: AttemptRecord): void {
    this.insertStmt.run(
      a.deliveryId,
      a.endpointId,
      a.number,
      a.startedAt,
      a.durationMs,
      a.succeeded ? 1 : 0,
      a.request,
      a.response,
      a.error,
      a.superseded ? 1 : 0,
    );
  }
}
