// An extra node (2..N) of `--store postgres`: the engine core on PostgreSQL in its own process, on the same
// database as node 1. The coordinator (hookbench-pg.mjs) sends it the events to fire; it sends back, batched once
// per turn of its event loop, which seq got which event id and every `succeeded` delivery it hears.
import { peakRssOfPid } from '../lib/measure.mjs';
import { processCpu, startPgNode } from '../lib/pg-node.mjs';

const cfg = JSON.parse(process.argv[2] ?? '{}');
// the coordinator is gone (killed on overrun): so is this node
process.on('disconnect', () => process.exit(1));
const fired = [];
const delivered = [];
let failures = 0;
let enqueueErrors = 0;
let flushing = false;

function flush() {
  flushing = false;
  if (fired.length === 0 && delivered.length === 0) return;
  process.send({ type: 'report', fired: fired.splice(0), delivered: delivered.splice(0) });
}
const later = () => {
  if (!flushing) {
    flushing = true;
    setImmediate(flush);
  }
};

try {
  const node = await startPgNode(cfg, {
    fired: (seq, eventId) => {
      fired.push([seq, eventId]);
      later();
    },
    delivered: (id, eventId, at) => {
      delivered.push([id, eventId, at]);
      later();
    },
    failed: () => failures++,
    enqueueError: () => enqueueErrors++,
  });
  process.on('message', async (m) => {
    if (m.type === 'fire') for (const seq of m.seqs) node.fire(seq);
    else if (m.type === 'cpu') process.send({ type: 'cpu', ...processCpu() });
    else if (m.type === 'stop') {
      await node.stop();
      flush();
      const peakRssMiB = peakRssOfPid();
      process.send({ type: 'stopped', failures, enqueueErrors, peakRssMiB }, () => process.exit(0));
    }
  });
  process.send({ type: 'ready' });
} catch (err) {
  process.send({ type: 'error', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () =>
    process.exit(1),
  );
}
