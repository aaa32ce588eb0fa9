// The bench's PostgreSQL: the private cluster of scripts/pg-cluster.mjs with fsync, full_page_writes and (unless
// `synchronousCommit: false`) synchronous_commit at their defaults (on): a commit is on disk when it returns, so the
// figure is a durable one. (SQLite's WAL with the engine's synchronous = NORMAL syncs at checkpoints, not at each
// commit: PostgreSQL's synchronous_commit = off, fsync still on, is the like-for-like setting; --pg-async-commit
// measures it.) And PostgreSQL's own CPU time, read from /proc.
import { execFileSync } from 'node:child_process';
import { startPgCluster as startCluster } from '../../scripts/pg-cluster.mjs';
import { cpuOfPid } from './measure.mjs';

export { pgBinDir } from '../../scripts/pg-cluster.mjs';

/**
 * PostgreSQL's own CPU time in µs: the postmaster and its children (`pgrep -P`: backends, WAL writer,
 * checkpointer…). A backend that exits between two readings takes its time with it; the engine's pools keep
 * theirs open for the whole run.
 */
export function postgresCpuUs(postmaster) {
  let pids = [];
  try {
    pids = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {}
  return [postmaster, ...pids.map(Number)].reduce((sum, pid) => sum + cpuOfPid(pid), 0);
}

/** Starts a durable private cluster; resolves to { url, pid, stop() }; throws with the server log's tail when it cannot. */
export function startPgCluster({ maxConnections = 100, synchronousCommit = true } = {}) {
  return startCluster({ durable: true, synchronousCommit, maxConnections });
}
