// The benchmark's receiver: a separate Node process on 127.0.0.1 answering 200 at once, shared by every system.
// Prints `{"port":N}` on stdout when listening. GET /__stats returns counters (and this process's CPU time) so the
// runner can check that each system really delivered what it claims, and say what receiving cost; one request in
// SPOT_CHECK has its signature verified.
import { createServer } from 'node:http';
import { verifySignature } from './lib/payload.mjs';

const SPOT_CHECK = 50;
const stats = { requests: 0, bytes: 0, checked: 0, badSignatures: 0 };
const OK_BODY = '{"ok":true}';

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/__stats') {
    const cpu = process.cpuUsage();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...stats, cpuUs: cpu.user + cpu.system }));
    return;
  }
  const check = stats.requests % SPOT_CHECK === 0;
  stats.requests++;
  const chunks = check ? [] : null;
  req.on('data', (c) => {
    stats.bytes += c.length;
    chunks?.push(c);
  });
  req.on('end', () => {
    if (chunks) {
      stats.checked++;
      if (!verifySignature(req.headers, Buffer.concat(chunks).toString('utf8'))) stats.badSignatures++;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK_BODY.length });
    res.end(OK_BODY);
  });
});
// Long keep-alive: every system keeps its pool warm between phases.
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.maxRequestsPerSocket = 0;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
// The runner owns this process; it exits when told or when the runner goes away.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
