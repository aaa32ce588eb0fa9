// Types for pg-cluster.mjs (a plain ES module so that the bench runs it without a build step).

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust auth: no password) */
  url: string;
  /** the postmaster's PID */
  pid: number;
  /** fast shutdown (SIGINT) of that PID, SIGKILL if it has not exited in time, then the directory removed */
  stop(): Promise<void>;
}

export interface PgClusterOptions {
  /** fsync, synchronous_commit and full_page_writes as PostgreSQL's defaults (on); default false (all off) */
  durable?: boolean;
  /** default: as `durable` */
  synchronousCommit?: boolean;
  /** default 100 */
  maxConnections?: number;
  /** more postgresql.conf settings (values written as given: quote strings), e.g. { log_lock_waits: 'on' } */
  settings?: Record<string, string | number>;
}

export const NO_POSTGRES_MESSAGE: string;
export function pgBinDir(): string | null;
export function startPgCluster(opts?: PgClusterOptions): Promise<PgCluster>;
