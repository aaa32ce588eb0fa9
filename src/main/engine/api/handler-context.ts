// What a handler module needs of the engine besides its ports: the same on SQLite and PostgreSQL (no database).
import type { EngineContext } from '../context';

export type HandlerContext = Pick<EngineContext, 'clock' | 'log' | 'emit' | 'settings'>;
