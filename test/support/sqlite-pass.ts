// The SQLite engine's pass (SqliteDispatchStore) on its own parts, built as createEngine builds them, on a fresh
// database file with a test clock and a recording log: for tests that drive passes directly.
import type Database from 'better-sqlite3';
import { buildContext } from '../../src/main/engine/build-context';
import { AttemptStore } from '../../src/main/engine/db/attempts';
import { openDatabase } from '../../src/main/engine/db/open';
import { SqliteDispatchStore } from '../../src/main/engine/delivery/dispatch-store';
import { Outcomes } from '../../src/main/engine/delivery/outcomes';
import { DeliveryQueue } from '../../src/main/engine/delivery/queue';
import { DeliveryStates } from '../../src/main/engine/delivery/state';
import { EndpointDisabler } from '../../src/main/engine/endpoints/disable';
import { OperationalEvents } from '../../src/main/engine/endpoints/operational';
import { EventService } from '../../src/main/engine/events/service';
import { FakeClock } from './clock';
import { recordingLog } from './log';
import { tempDbPath } from './temp';

type Built = ReturnType<typeof buildContext>;

export function sqlitePass(): {
  db: Database.Database;
  clock: FakeClock;
  log: ReturnType<typeof recordingLog>;
  ctx: Built['ctx'];
  endpoints: Built['store'];
  settingsStore: Built['settingsStore'];
  events: EventService;
  storage: SqliteDispatchStore;
} {
  const db = openDatabase(tempDbPath());
  const clock = new FakeClock();
  const log = recordingLog();
  const { ctx, store: endpoints, settingsStore } = buildContext(db, { dbPath: ':unused:', clock, log });
  const states = new DeliveryStates(db);
  const queue = new DeliveryQueue(db);
  const events = new EventService(ctx, endpoints, states);
  const operational = new OperationalEvents(ctx, events);
  const outcomes = new Outcomes(
    ctx,
    endpoints,
    states,
    new AttemptStore(db),
    new EndpointDisabler(ctx, endpoints, states, operational),
    operational,
  );
  const storage = new SqliteDispatchStore(db, { states, queue, outcomes, events });
  return { db, clock, log, ctx, endpoints, settingsStore, events, storage };
}
