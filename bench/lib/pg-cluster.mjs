// A private PostgreSQL cluster for `--store postgres` (test/support/pg-cluster.ts's logic in plain JS, minus its
// test shortcuts): Debian's binaries, a temp directory, a free port on 127.0.0.1 with trust auth for that address
// only, stopped by the postmaster's PID. initdb refuses to run as root, so as root the cluster belongs to the
// `postgres` user and its tools run through `runuser`.
//
// Unlike the test cluster, fsync and full_page_writes keep their defaults (on), and so does synchronous_commit
// unless `synchronousCommit: false`: a commit is on disk when it returns, so the figure is a durable one. (SQLite's
// WAL with the engine's synchronous = NORMAL syncs at checkpoints, not at each commit: PostgreSQL's
// synchronous_commit = off, fsync still on, is the like-for-like setting; --pg-async-commit measures it.)
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './procs.mjs';

const STOP_TIMEOUT_MS = 10_000;

/** The newest installed major version's bin directory, or null. */
export function pgBinDir() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}${stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** Alive and not a zombie. */
function alive(pid) {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

async function until(done, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (done()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return done();
}

async function logTail(file, lines = 30) {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

async function postmasterPid(data) {
  try {
    const pid = Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : 0;
  } catch {
    return 0;
  }
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of one process in µs (0 when it is gone). */
function cpuOfPid(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime and stime are fields 14 and 15
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
  } catch {
    return 0;
  }
}

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

/** Starts a private cluster; resolves to { url, pid, stop() }; throws with the server log's tail when it cannot. */
export async function startPgCluster({ maxConnections = 100, synchronousCommit = true } = {}) {
  const bin = pgBinDir();
  if (!bin) throw new Error('no PostgreSQL server under /usr/lib/postgresql/<N>/bin (apt-get install -y postgresql)');
  const asRoot = process.getuid?.() === 0;
  const root = await mkdtemp(join(tmpdir(), 'hookbench-bench-pg-'));
  const data = join(root, 'data');
  const log = join(root, 'log');
  const tool = (name, args) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args]) : run(join(bin, name), args);
  let pid = 0;
  try {
    if (asRoot) {
      const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
      await chown(root, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
    }
    await tool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C']);
    const port = await freePort();
    // fsync, synchronous_commit, full_page_writes: defaults (on), see the top of this file
    await appendFile(
      join(data, 'postgresql.conf'),
      `\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${root}'\nport = ${port}\n` +
        `max_connections = ${maxConnections}\n${synchronousCommit ? '' : 'synchronous_commit = off\n'}`,
    );
    writeFileSync(join(data, 'pg_hba.conf'), 'host all all 127.0.0.1/32 trust\n');
    await tool('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
    pid = await postmasterPid(data);
    if (pid === 0) throw new Error('postmaster.pid has no PID');
    const started = pid;
    const cleanup = () => {
      // the runner is exiting without stop(): never leave a server (or its files) behind
      if (alive(started)) process.kill(started, 'SIGKILL');
      rmSync(root, { recursive: true, force: true });
    };
    process.once('exit', cleanup);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      pid,
      async stop() {
        process.off('exit', cleanup);
        if (alive(started)) {
          process.kill(started, 'SIGINT');
          if (!(await until(() => !alive(started), STOP_TIMEOUT_MS))) {
            process.kill(started, 'SIGKILL');
            await until(() => !alive(started), STOP_TIMEOUT_MS);
          }
        }
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    pid ||= await postmasterPid(data);
    if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    const tail = await logTail(log);
    await rm(root, { recursive: true, force: true });
    throw new Error(`could not start a private PostgreSQL cluster: ${err.message}\n--- server log ---\n${tail}`);
  }
}
