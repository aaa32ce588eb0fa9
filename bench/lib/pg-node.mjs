// One node of `--store postgres`: the engine core on PostgreSQL (startPgCore from the bench build) in this
// process, firing the bench's events and reporting what it hears. Used in the coordinator's own process (node 1)
// and in each extra node's child (bench/systems/hookbench-pg-node.mjs).
//
// A node hears its own deliveries (its dispatcher's delivery.updated) and, through the relay, the other nodes'
// ones: it reports every `succeeded` it hears with the moment it heard it, and the coordinator counts each
// delivery once, by its id, at the earliest report (the node that made the attempt, in practice).
import { pathToFileURL } from 'node:url';
import { BENCH_SECRET, EVENT_TYPE, makeData } from './payload.mjs';

/** Wall-clock milliseconds with sub-millisecond precision, comparable between processes on one machine. */
export const nowEpochMs = () => performance.timeOrigin + performance.now();

/** CPU time of this process so far, in µs: every thread, and the main thread alone (Node >= 23.9). */
export function processCpu() {
  const all = process.cpuUsage();
  const main = process.threadCpuUsage?.();
  return { cpuUs: all.user + all.system, mainCpuUs: main ? main.user + main.system : null };
}

/**
 * Starts the core; `report` gets fired(seq, eventId), delivered(deliveryId, eventId, atEpochMs), failed(),
 * enqueueError(). Resolves to { fire(seq), createEndpoint(receiverUrl), stop() }.
 */
export async function startPgNode(cfg, report) {
  const { startPgCore } = await import(pathToFileURL(cfg.pgCorePath).href);
  const { routes } = await import(pathToFileURL(cfg.sharedPath).href);
  // One endpoint takes all the traffic, so it gets the same 32 in flight as every other system (across nodes:
  // the core's per-endpoint limit holds for all processes together).
  const core = await startPgCore({
    databaseUrl: cfg.databaseUrl,
    httpWorkerFile: cfg.httpWorkerPath,
    perEndpointConcurrency: 32,
  });
  // validate: false: the payload is sized, not shaped, for invoice.paid, and the peers check no schema either
  const eventInput = { type: EVENT_TYPE, data: makeData(), validate: false };
  core.on('delivery.updated', (d) => {
    if (d.status === 'failed' || (d.status === 'pending' && d.attemptCount > 0)) report.failed();
    if (d.status === 'succeeded') report.delivered(d.id, d.eventId, nowEpochMs());
  });
  return {
    fire(seq) {
      // A fresh object per call: the core owns its input. Not awaited: the caller keeps firing, as with SQLite.
      core.fire({ ...eventInput }).then(
        (ev) => report.fired(seq, ev.id),
        () => report.enqueueError(),
      );
    },
    async createEndpoint(url) {
      const input = routes['endpoints.create'].input.parse({ url, secret: BENCH_SECRET });
      const ep = await core.endpoints.create(input);
      core.emit('endpoint.updated', { id: ep.id });
      return ep.id;
    },
    stop: () => core.stop(),
  };
}
