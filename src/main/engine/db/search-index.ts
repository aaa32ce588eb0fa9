// The payload index's writer (migrations 6 to 8). Events are written unindexed, above the index's mark
// (events_fts_state.indexed_upto: every rowid up to it is indexed, none above); this indexes what lies above the mark
// in batches, off the dispatcher's commits, moving the mark in the same transaction:
// - when the engine is quiet (no event written since the last look and no attempt running or waiting), a batch per
//   tick until nothing is left;
// - under sustained load, once more than BACKLOG_BOUND events wait, a batch per tick anyway, so it stays bounded (a
//   tick indexes 400 events in ~5 ms, 4,000 a second);
// - before every search (catchUp), everything: a search never misses an event, however recent.
// Measured (30,000 events of 1 KiB): indexed inside each commit 37 µs per event; queued by a trigger (migration 7)
// 9.5 µs on the hot path plus 13.5 µs in batches later; with the mark, nothing on the hot path.
import type Database from 'better-sqlite3';
import type { Logger } from '../types';

/** a search's catch-up indexes in batches of this many events (~25 ms each) */
const BATCH = 2_000;
/**
 * a background tick indexes at most this many (~5 ms of the engine's thread: a tick that lands as deliveries start
 * again must not show in their latency; measured, 2,000-event ticks at the start of a paced stream raised its p99)
 */
const TICK_BATCH = 400;
const TICK_MS = 100;
/** events waiting (by rowid span) above which batches run even while events keep arriving */
const BACKLOG_BOUND = 50_000;

export class SearchIndex {
  private readonly q;
  private readonly step: (limit: number) => number;
  private timer: NodeJS.Timeout | null = null;
  /** the largest rowid at the last tick: unchanged means no event was written since */
  private lastSeen: number | null = null;

  constructor(
    db: Database.Database,
    private readonly log: Logger,
    /** whether deliveries are being made (the dispatcher's): indexing then waits, unless the backlog is large */
    private readonly busy: () => boolean = () => false,
  ) {
    this.q = {
      span: db.prepare<[], { upto: number | null; last: number | null }>(
        'SELECT (SELECT indexed_upto FROM events_fts_state WHERE id = 1) AS upto, (SELECT MAX(rowid) FROM events) AS last',
      ),
      next: db.prepare<[number, number], { upTo: number | null; n: number }>(
        'SELECT MAX(rowid) AS upTo, COUNT(*) AS n FROM (SELECT rowid FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?)',
      ),
      index: db.prepare<[number, number]>(
        'INSERT INTO events_fts (rowid, data) SELECT rowid, data FROM events WHERE rowid > ? AND rowid <= ?',
      ),
      moveMark: db.prepare<[number]>('UPDATE events_fts_state SET indexed_upto = ? WHERE id = 1'),
    };
    // one transaction per batch: the index and its mark change together
    this.step = db.transaction((limit: number) => {
      const from = this.q.span.get()?.upto ?? null;
      // migration 8 writes the row and nothing deletes it; without it, indexing from 0 would index rows twice and, the
      // mark never moving, catchUp would never end
      if (from === null) throw new Error('the payload index has lost its mark (events_fts_state is empty)');
      const { upTo, n } = this.q.next.get(from, limit) ?? { upTo: null, n: 0 };
      if (upTo === null) return 0;
      this.q.index.run(from, upTo);
      this.q.moveMark.run(upTo);
      return n;
    });
  }

  /** Indexes in the background from now on (real time: this only spreads work, no delivery waits for it). */
  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Everything above the mark, now: called before a search reads the index. Throws what SQLite throws (storage_full). */
  catchUp(): void {
    while (this.step(BATCH) > 0) {}
  }

  /** Events not yet indexed (by rowid span: an upper bound, exact when nothing was deleted meanwhile). */
  backlog(): number {
    const { upto, last } = this.span();
    return Math.max(0, last - upto);
  }

  /** The mark and the largest rowid (0 when there is no event). */
  private span(): { upto: number; last: number } {
    const row = this.q.span.get();
    return { upto: row?.upto ?? 0, last: row?.last ?? 0 };
  }

  private tick(): void {
    try {
      const { upto, last } = this.span();
      if (last <= upto) {
        this.lastSeen = null;
        return;
      }
      const quiet = last === this.lastSeen && !this.busy();
      this.lastSeen = last;
      if (quiet || last - upto > BACKLOG_BOUND) this.step(TICK_BATCH);
    } catch (err) {
      // a full disk or a busy database: the mark stays, the next tick or search tries again
      this.log.warn('payload indexing failed; retrying', { error: String(err) });
    }
  }
}
