// Hookbench end to end: createEngine on a real temp SQLite file (WAL), full attempt logging, no inbox; events
// fired through engine.handlers['events.create'] with input parsed by the contract, as a transport does;
// "delivered" is the engine's own delivery.updated topic reaching `succeeded`.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runChild, seqByEventId } from '../lib/driver.mjs';
import { BENCH_SECRET, EVENT_TYPE, makeData } from '../lib/payload.mjs';

runChild(async (cfg) => {
  const { createEngine } = await import(pathToFileURL(cfg.enginePath).href);
  const { routes } = await import(pathToFileURL(cfg.sharedPath).href);
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-bench-'));
  const dbPath = join(dir, 'bench.db');
  // One endpoint takes all the traffic here, so it gets the same 32 in flight as the raw and BullMQ runs (the
  // engine's default per-endpoint limit is 8, to spare real receivers).
  const engine = await createEngine({ dbPath, inbox: false, perEndpointConcurrency: 32 });
  const { handlers } = engine;
  const parse = (name, input) => routes[name].input.parse(input);
  // validate: false: the payload is sized, not shaped, for invoice.paid, and the peers check no schema either
  const eventInput = parse('events.create', { type: EVENT_TYPE, data: makeData(), validate: false });
  const seqOf = seqByEventId();
  /** delivered before events.create returned its id (if the engine ever answers that late) */
  const early = new Set();
  let failures = 0;
  let enqueueErrors = 0;
  let onDelivered;

  return {
    name: 'hookbench',
    async start(hooks) {
      onDelivered = hooks.onDelivered;
      await handlers['endpoints.create'](parse('endpoints.create', { url: cfg.receiverUrl, secret: BENCH_SECRET }));
      engine.on('delivery.updated', (d) => {
        if (d.status === 'failed' || (d.status === 'pending' && d.attemptCount > 0)) failures++;
        if (d.status !== 'succeeded') return;
        const seq = seqOf.get(d.eventId);
        if (seq === undefined) early.add(d.eventId);
        else {
          seqOf.delete(d.eventId);
          onDelivered(seq);
        }
      });
    },
    enqueue(seq) {
      const accepted = (ev) => {
        if (early.delete(ev.id)) onDelivered(seq);
        else seqOf.set(ev.id, seq);
      };
      // A fresh object per call: the handler owns its input. The data value is shared, as it is immutable here.
      // Not awaited when it returns a promise (an engine that commits events in groups): like the BullMQ
      // producer, the caller keeps firing and each event is tracked when its create resolves.
      const out = handlers['events.create']({ ...eventInput });
      if (typeof out?.then === 'function') out.then(accepted, () => enqueueErrors++);
      else accepted(out);
    },
    async stop() {
      await engine.stop();
      const dbMiB = (statSync(dbPath).size / 1024 / 1024).toFixed(1);
      rmSync(dir, { recursive: true, force: true });
      return { failures, enqueueErrors, dbMiB: Number(dbMiB) };
    },
  };
});
