// Processes the runner starts: the receiver, redis-server and one child per system. Each is tracked by PID and
// killed by that PID at the end (or on Ctrl-C); nothing is ever killed by name.
import { fork, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import { peakRssOfPid, sleep } from './measure.mjs';

const started = new Set();

function track(child) {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/** Kills every process this runner started that is still alive (by PID). */
export function killStarted() {
  for (const child of started) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {}
  }
  started.clear();
}
process.once('exit', killStarted);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    killStarted();
    process.exit(130);
  });
}

async function stop(child, graceMs = 2000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await once(child, 'exit');
  clearTimeout(timer);
}

/** Reads the first line a child prints on stdout, within timeoutMs. */
function firstLine(child, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms`)), timeoutMs);
    child.stdout.on('data', function onData(chunk) {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(buf.slice(0, nl));
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited early (code ${code})`)));
  });
}

/**
 * Starts a receiver script (bench/receiver.mjs, bench/fairness-receivers.mjs) that prints one JSON line with its
 * `port` when listening; resolves to { url, pid, info (that line), stop() }.
 */
export async function startReceiver(file, args = []) {
  const child = track(spawn(process.execPath, [file, ...args], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const info = JSON.parse(await firstLine(child, 10_000, 'receiver'));
  return { url: `http://127.0.0.1:${info.port}/`, pid: child.pid, info, stop: () => stop(child) };
}

export function hasRedisServer() {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

export async function freePort() {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

async function canConnect(port) {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** Starts a throwaway redis-server (no persistence) on a free port; resolves to { port, peakRssMiB(), stop() }. */
export async function startRedis() {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = track(spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] }));
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('redis-server did not start');
    await sleep(50);
  }
  return { port, peakRssMiB: () => peakRssOfPid(child.pid), stop: () => stop(child) };
}

/**
 * Runs one system child (a driver entry) with its config; resolves to its result. The child is killed by PID
 * when it overruns timeoutMs.
 */
export async function runSystem(file, cfg, { execArgv = [], timeoutMs }) {
  const child = track(fork(file, [JSON.stringify(cfg)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  let result;
  child.on('message', (m) => {
    if (m?.type === 'result') result = m.result;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(timer);
  if (!result) throw new Error(`${file} ended without a result (code ${code}, signal ${signal})`);
  if (result.error) throw new Error(`${file} failed: ${result.error}`);
  return result;
}
