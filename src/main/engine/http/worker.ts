// The worker-thread side of WorkerHttpClient: the same HttpClient, on its own thread, so that the engine's thread
// spends its time on SQLite rather than on sockets. Requests arrive in batches; answers go back in batches: at the
// end of each turn of this thread's event loop, or as soon as EARLY of them are ready.
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../types';
import { HttpClient, TransportError } from './client';
import type { FromWorker, PostReply, ToWorker, WorkerData } from './worker-client';

const port = parentPort;
if (!port) throw new Error('http-worker runs as a worker thread (WorkerHttpClient starts it)');
const http = new HttpClient(systemClock, (workerData as WorkerData | null)?.options ?? {});

let replies: PostReply[] = [];
const flush = () => {
  if (replies.length === 0) return;
  const batch = replies;
  replies = [];
  port.postMessage(batch satisfies FromWorker);
};
/**
 * Answers handed back before the turn ends once this many are ready: one turn of this loop can read most of a wave of
 * 32 answers, and the engine thread records the first ones and starts their slots' next attempts while this thread
 * reads the rest, instead of getting them all when the turn ends. `bench/ab.mjs`: deliveries/s x1.024 (ahead in 7 of
 * 8 pairs, as a probe) and x1.047 (7 of 10; geometric mean x1.045, 95% interval x1.004-x1.095), CPU per delivery the
 * same; 4 was slower (x0.985), 16 about the same (x1.023).
 */
const EARLY = 8;
const reply = (r: PostReply) => {
  const n = replies.push(r);
  if (n === 1) setImmediate(flush);
  else if (n >= EARLY) flush();
};

// loaded (this module and its HTTP client): the engine's start waits for this, not its first deliveries
port.postMessage({ type: 'ready' } satisfies FromWorker);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'close') {
    void http.close().finally(() => port.close());
    return;
  }
  if (msg.type === 'allowLinkLocal') {
    http.setAllowLinkLocal(msg.allow);
    return;
  }
  for (const q of msg.requests) {
    http.post(q.url, q.headers, q.body, q.timeoutMs).then(
      (x) => reply({ id: q.id, res: x.response, ms: x.durationMs }),
      (err: unknown) =>
        reply(
          err instanceof TransportError
            ? { id: q.id, error: err.message, transport: true, ms: err.durationMs }
            : { id: q.id, error: String(err), transport: false, ms: null },
        ),
    );
  }
});
