// The worker-thread side of WorkerHttpClient: the same HttpClient, on its own thread, so that the engine's thread
// spends its time on SQLite rather than on sockets. Requests arrive in batches; answers go back in batches, one
// message per turn of this thread's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../types';
import { HttpClient, TransportError } from './client';
import type { FromWorker, PostReply, ToWorker, WorkerData } from './worker-client';

const port = parentPort;
if (!port) throw new Error('http-worker runs as a worker thread (WorkerHttpClient starts it)');
const http = new HttpClient(systemClock, (workerData as WorkerData | null)?.options ?? {});

let replies: PostReply[] = [];
const flush = () => {
  const batch = replies;
  replies = [];
  port.postMessage(batch satisfies FromWorker);
};
const reply = (r: PostReply) => {
  if (replies.push(r) === 1) setImmediate(flush);
};

// loaded (this module and its HTTP client): the engine's start waits for this, not its first deliveries
port.postMessage({ type: 'ready' } satisfies FromWorker);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'close') {
    void http.close().finally(() => port.close());
    return;
  }
  for (const q of msg.requests) {
    http.post(q.url, q.headers, q.body, q.timeoutMs).then(
      (res) => reply({ id: q.id, res }),
      (err: unknown) =>
        reply(
          err instanceof TransportError
            ? { id: q.id, error: err.message, transport: true }
            : { id: q.id, error: String(err), transport: false },
        ),
    );
  }
});
