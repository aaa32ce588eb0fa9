// Assembles the EngineContext from the host's options and the open database.
import type Database from 'better-sqlite3';
import { TopicBus } from './bus';
import type { EngineContext } from './context';
import { EndpointStore } from './db/endpoints';
import { redactingLogger } from './redacting-logger';
import { SettingsStore } from './settings-store';
import { type EngineOptions, plainSecretBox, silentLogger, systemClock } from './types';

export function buildContext(db: Database.Database, opts: EngineOptions) {
  const clock = opts.clock ?? systemClock;
  const log = redactingLogger(opts.log ?? silentLogger);
  const secrets = opts.secrets ?? plainSecretBox;
  const bus = new TopicBus(log);
  const settingsStore = new SettingsStore(db, secrets);
  const store = new EndpointStore(db, clock, secrets, () => settingsStore.operationalSecret());
  const ctx: EngineContext = {
    db,
    clock,
    log,
    secrets,
    notify: opts.notify ?? (() => {}),
    emit: (topic, payload) => bus.emit(topic, payload),
    settings: () => settingsStore.get(),
    endpoints: store,
  };
  return { ctx, bus, store, settingsStore };
}
