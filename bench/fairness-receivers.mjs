// The fairness figure's receivers, in their own Node process on 127.0.0.1 so the engine under test shares its thread
// with none of them: `--hanging N` servers that read each request and never answer (the sender's timeout ends the
// attempt), one healthy server that answers 200 at once, and one slow server that answers 200 after `--slow-ms`.
// Prints `{"port":H,"hanging":[...],"slow":S}` when every server listens; GET /__stats on the healthy or slow port
// returns its request count. The runner kills this process by PID, which resets every held socket at once.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { hanging: { type: 'string' }, 'slow-ms': { type: 'string' } } });
const hanging = Number(values.hanging ?? 8);
const slowMs = Number(values['slow-ms'] ?? 1000);
const OK_BODY = '{"ok":true}';

function listen(server) {
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  // a hung request must stay open as long as the sender waits (the default request timeout is 300 s: enough)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

/** Answers 200 after `delayMs` (0: at once) and counts requests; GET /__stats returns the count. */
function answering(delayMs) {
  let requests = 0;
  return createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/__stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ requests }));
      return;
    }
    requests++;
    req.resume();
    req.on('end', () => {
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK_BODY.length });
        res.end(OK_BODY);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
}

// reads the body (so the sender's write completes) and never answers
const hangingServer = () => createServer((req) => req.resume());

const ports = {
  port: await listen(answering(0)),
  hanging: await Promise.all(Array.from({ length: hanging }, () => listen(hangingServer()))),
  slow: await listen(answering(slowMs)),
};
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
