// A private PostgreSQL cluster, for the PostgreSQL store's tests (test/support/pg-cluster.ts) and the bench's
// `--store postgres` (bench/lib/pg-cluster.mjs): Debian's binaries, a temp directory, a free port on 127.0.0.1 with
// trust auth for that address only, stopped by the postmaster's PID. initdb refuses to run as root, so as root the
// cluster belongs to the `postgres` user and its tools run through `runuser`. A plain ES module so that the bench
// runs it without a build step.
//
// `durable: false` (the tests') turns fsync, synchronous_commit and full_page_writes off: a test cluster never
// outlives a crash. `durable: true` (the bench's) keeps PostgreSQL's defaults, so a commit is on disk when it
// returns, unless `synchronousCommit: false`.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STOP_TIMEOUT_MS = 10_000;
const ROOT = '/usr/lib/postgresql';
export const NO_POSTGRES_MESSAGE = `no PostgreSQL server found under ${ROOT}/<N>/bin; install it with: apt-get install -y postgresql`;

/** The newest installed major version's bin directory, or null. */
export function pgBinDir() {
  const versions = existsSync(ROOT)
    ? readdirSync(ROOT)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(ROOT, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions.length > 0 ? join(ROOT, versions[0], 'bin') : null;
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}${stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Alive and not a zombie (an exited postmaster whose parent has not reaped it yet is gone for our purposes). */
function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function exists(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `done()` or the time is up; whether it became done. */
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

/** The postmaster's PID from line 1 of postmaster.pid; 0 when there is none. */
async function postmasterPid(data) {
  try {
    const pid = Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : 0;
  } catch {
    return 0;
  }
}

/** Starts a private cluster; throws with the tail of the server log when it cannot. */
export async function startPgCluster(opts = {}) {
  const { durable = false, synchronousCommit = durable, maxConnections = 100, settings = {} } = opts;
  const bin = pgBinDir();
  if (!bin) throw new Error(NO_POSTGRES_MESSAGE);
  const asRoot = process.getuid?.() === 0;
  const root = await mkdtemp(join(tmpdir(), 'hookbench-pg-'));
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
    await tool('initdb', [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      ...(durable ? [] : ['--no-sync']),
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    await appendFile(
      join(data, 'postgresql.conf'),
      `\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${root}'\nmax_connections = ${maxConnections}\n` +
        (durable ? '' : 'fsync = off\nfull_page_writes = off\n') +
        (synchronousCommit ? '' : 'synchronous_commit = off\n') +
        Object.entries(settings)
          .map(([key, value]) => `${key} = ${value}\n`)
          .join(''),
    );
    writeFileSync(join(data, 'pg_hba.conf'), 'host all all 127.0.0.1/32 trust\n');
    // The free port is free when asked, not necessarily when the server binds it (another test file's cluster may
    // take it in between): on that conflict, another port. A later `port` line overrides an earlier one.
    let port = 0;
    for (let tries = 1; ; tries++) {
      port = await freePort();
      await appendFile(join(data, 'postgresql.conf'), `port = ${port}\n`);
      try {
        await tool('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
        break;
      } catch (err) {
        if (tries >= 3 || !/already in use/.test(await logTail(log, 10))) throw err;
      }
    }
    pid = await postmasterPid(data);
    if (pid === 0) throw new Error('postmaster.pid has no PID');
    const started = pid;
    const cleanup = () => {
      // the process is exiting without stop(): never leave a server (or its files) behind
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
        // pg_ctl daemonized the postmaster, so init reaps it, a moment after it exited: wait for the PID to be gone
        await until(() => !exists(started), STOP_TIMEOUT_MS);
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    // a server that started but failed its checks (or outlived pg_ctl's wait) is stopped too
    pid ||= await postmasterPid(data);
    if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    const tail = await logTail(log);
    await rm(root, { recursive: true, force: true });
    throw new Error(`could not start a private PostgreSQL cluster: ${err.message}\n--- server log ---\n${tail}`);
  }
}
