// What a handler module needs of the engine besides its storage ports: time, logs, topics, settings. No database:
// storage comes in as ports (src/main/engine/store/*-ports.ts), so the same handlers answer on SQLite and PostgreSQL.
import type { CoreContext } from '../context';

export type HandlerContext = CoreContext;
