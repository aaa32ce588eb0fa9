// A private PostgreSQL cluster for the PostgreSQL store's tests: Debian's binaries, a temp directory, a free port on
// 127.0.0.1 with trust auth for that address only, stopped by the postmaster's PID. initdb refuses to run as root,
// so as root the cluster belongs to the `postgres` user and its tools run through `runuser`.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust auth: no password) */
  url: string;
  /** the postmaster's PID */
  pid: number;
  /** fast shutdown (SIGINT) of that PID, SIGKILL if it has not exited in time, then the directory removed */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;

/** The newest installed major version's bin directory. */
function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`no PostgreSQL server found under ${root}/<N>/bin; install it with: apt-get install -y postgresql`);
  }
  return join(root, versions[0]!, 'bin');
}

function run(cmd: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}${stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

function freePort(): Promise<number> {
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
function alive(pid: number): boolean {
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

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `done()` or the time is up; whether it became done. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (done()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return done();
}

async function logTail(file: string, lines = 30): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** The postmaster's PID from line 1 of postmaster.pid; 0 when there is none. */
async function postmasterPid(data: string): Promise<number> {
  try {
    const pid = Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : 0;
  } catch {
    return 0;
  }
}

export interface PgClusterOptions {
  /** more postgresql.conf settings (values written as given: quote strings), e.g. { log_lock_waits: 'on' } */
  settings?: Record<string, string | number>;
}

/** Starts a private cluster; throws with the tail of the server log when it cannot. */
export async function startPgCluster(opts: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = pgBinDir();
  const asRoot = process.getuid?.() === 0;
  const root = await mkdtemp(join(tmpdir(), 'hookbench-pg-'));
  const data = join(root, 'data');
  const log = join(root, 'log');
  const tool = (name: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args]) : run(join(bin, name), args);
  let pid = 0;
  try {
    if (asRoot) {
      const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
      await chown(root, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
    }
    await tool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
    // synchronous_commit and full_page_writes off as well: a test cluster never outlives a crash
    await appendFile(
      join(data, 'postgresql.conf'),
      `\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${root}'\n` +
        'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\n' +
        Object.entries(opts.settings ?? {})
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
      // the test process is exiting without stop(): never leave a server (or its files) behind
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
    throw new Error(
      `could not start a private PostgreSQL cluster: ${(err as Error).message}\n--- server log ---\n${tail}`,
    );
  }
}

/** A new, empty database on the cluster (a random name); its URL. Tests in one file isolate with one each. */
export async function createTestDatabase(url: string): Promise<string> {
  const name = `hookbench_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
