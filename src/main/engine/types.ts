// Host-provided pieces of the engine. The engine never imports `electron`: the Electron shell, `hookbench serve`,
// the CLI and tests each pass their own small implementations of these interfaces to `createEngine`.
import type { Handlers, TopicName, TopicPayload } from '../../shared';

/** Time, injectable so retry schedules and leases are tested without sleeping. */
export interface Clock {
  /** milliseconds since the epoch (wall clock: may step forward or back) */
  now(): number;
  /** milliseconds on a clock that never steps (default performance.now()); leases are measured on it */
  monotonic?(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** A user-facing notification (Electron shows a desktop notification; serve logs it). */
export interface Notification {
  topic: 'endpoint.disabled';
  title: string;
  body: string;
  endpointId: string;
}
export type Notifier = (n: Notification) => void;

/**
 * Encrypts secrets at rest (Electron: safeStorage; serve and the CLI: AES-256-GCM, secrets/aes-box.ts). The plain
 * box (tests) stores them as they are.
 */
export interface SecretBox {
  seal(plain: string): string;
  /** throws (unprocessable) when the value was sealed under a key this box does not have */
  open(sealed: string): string;
  /** the stored value is sealed by this kind of box; absent = the box cannot seal, so nothing is sealed at start */
  isSealed?(stored: string): boolean;
}
export const plainSecretBox: SecretBox = { seal: (s) => s, open: (s) => s };

/** Structured log. Never pass a secret or a signature in `fields`. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface EngineOptions {
  /** SQLite file (created when missing); WAL mode */
  dbPath: string;
  /**
   * postgres://USER[:PASSWORD]@HOST:PORT/DB: the engine runs on this PostgreSQL database instead of `dbPath`, sharing
   * its queue with every other process on it (store/pg/engine.ts)
   */
  databaseUrl?: string;
  clock?: Clock;
  notify?: Notifier;
  secrets?: SecretBox;
  log?: Logger;
  /** start the dispatcher workers and retention (default true); tests of the queue alone and CLI commands pass false */
  dispatch?: boolean;
  /** the built-in receiver (inboxes): false = not started; default 127.0.0.1 on a free port */
  inbox?: false | { host?: string; port?: number };
  /** path to a better-sqlite3 binding built for this runtime's ABI (the Electron shell passes one) */
  nativeBinding?: string;
  /**
   * send webhook requests from a worker thread (default true; used when the build includes http-worker.js, so not
   * when running from TypeScript sources); false keeps them on the engine's thread, timed by `clock`
   */
  httpWorker?: boolean;
  /** the built HTTP worker's file (default: http-worker.js beside the engine's bundle); tests pass their own build */
  httpWorkerFile?: string;
  /** attempts in flight at once to one endpoint (default 8; the global limit is settings.concurrency) */
  perEndpointConcurrency?: number;
  /** a claimed delivery's lease is the endpoint's timeout plus this (default 10 s), renewed while its attempt
   * runs; after a crash it is claimable again once the lease ran out */
  leaseGraceMs?: number;
}

export type TopicListener<T extends TopicName> = (payload: TopicPayload<T>) => void;

export interface Engine {
  /** one handler per contract route; transports dispatch to these and nothing else */
  readonly handlers: Handlers;
  /** subscribe to a push topic; returns the unsubscribe function */
  on<T extends TopicName>(topic: T, fn: TopicListener<T>): () => void;
  /** subscribe to every topic (transports forward them) */
  onAny(fn: (topic: TopicName, payload: unknown) => void): () => void;
  /** base URL of the built-in receiver, e.g. http://127.0.0.1:43123, or null */
  inboxBaseUrl(): string | null;
  /** graceful stop: no new claims, waits for in-flight attempts, closes the database */
  stop(): Promise<void>;
}
