// Hookbench's engine core on PostgreSQL (`--store postgres [--nodes N]`): this process is node 1 (startPgCore on
// the runner's private cluster, the endpoint created through core.endpoints.create) and the driver; nodes 2..N are
// child processes (hookbench-pg-node.mjs) on the same database. Events are spread round-robin over the nodes
// (seq % N): node 1 fires its share in this process, the others receive theirs over IPC in one message per turn.
// "Delivered" is a core's own delivery.updated reaching `succeeded`, counted once per delivery id across nodes
// at its earliest report.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, seqByEventId } from '../lib/driver.mjs';
import { postgresCpuUs } from '../lib/pg-cluster.mjs';
import { startPgNode } from '../lib/pg-node.mjs';

const NODE_FILE = join(fileURLToPath(new URL('.', import.meta.url)), 'hookbench-pg-node.mjs');
const children = [];
// never leave a node behind: killed by PID when this process exits for any reason
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A node child: one message at a time per kind awaited (`cpu`, `stopped`), reports handed to `onReport`. */
async function startChildNode(cfg, onReport) {
  const child = fork(NODE_FILE, [JSON.stringify(cfg)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const waiting = new Map();
  const next = (type) => new Promise((resolve) => waiting.set(type, resolve));
  child.on('message', (m) => {
    if (m.type === 'report') onReport(m);
    else waiting.get(m.type)?.(m);
    if (m.type === 'error') waiting.get('ready')?.(m);
  });
  const ready = await Promise.race([
    next('ready'),
    once(child, 'exit').then(([code]) => ({ type: 'error', error: `exited with code ${code}` })),
  ]);
  if (ready.type === 'error') throw new Error(`a PostgreSQL node failed to start: ${ready.error}`);
  return {
    fire: (seqs) => child.send({ type: 'fire', seqs }),
    async cpu() {
      const reply = next('cpu');
      child.send({ type: 'cpu' });
      return reply;
    },
    async stop() {
      const reply = next('stopped');
      child.send({ type: 'stop' });
      return reply;
    },
  };
}

runChild(async (cfg) => {
  const nodeCfg = {
    databaseUrl: cfg.databaseUrl,
    pgCorePath: cfg.pgCorePath,
    sharedPath: cfg.sharedPath,
    httpWorkerPath: cfg.httpWorkerPath,
  };
  const seqOfEvent = seqByEventId();
  /** eventId → { id, at } of a delivery heard before its event's fire resolved */
  const heardEarly = new Map();
  const counted = new Set();
  let failures = 0;
  let enqueueErrors = 0;
  let onDelivered;
  const count = (id, seq, at) => {
    counted.add(id);
    onDelivered(seq, at - performance.timeOrigin);
  };
  const fired = (seq, eventId) => {
    const early = heardEarly.get(eventId);
    if (early) {
      heardEarly.delete(eventId);
      if (!counted.has(early.id)) count(early.id, seq, early.at);
    } else seqOfEvent.set(eventId, seq);
  };
  const delivered = (id, eventId, at) => {
    if (counted.has(id)) return;
    const seq = seqOfEvent.get(eventId);
    if (seq === undefined) {
      const prev = heardEarly.get(eventId);
      if (!prev || at < prev.at) heardEarly.set(eventId, { id, at });
      return;
    }
    seqOfEvent.delete(eventId);
    count(id, seq, at);
  };
  const node1 = await startPgNode(nodeCfg, {
    fired,
    delivered,
    failed: () => failures++,
    enqueueError: () => enqueueErrors++,
  });
  const others = [];
  const pending = [];
  let flushing = false;
  const flush = () => {
    flushing = false;
    for (let i = 0; i < others.length; i++) {
      if (pending[i].length > 0) others[i].fire(pending[i].splice(0));
    }
  };

  return {
    name: `hookbench-pg×${cfg.nodes}`,
    async start(hooks) {
      onDelivered = hooks.onDelivered;
      // the endpoint exists before the other nodes start: they load it with their endpoint cache
      await node1.createEndpoint(cfg.receiverUrl);
      const onReport = (m) => {
        for (const [seq, eventId] of m.fired) fired(seq, eventId);
        for (const [id, eventId, at] of m.delivered) delivered(id, eventId, at);
      };
      for (let n = 2; n <= cfg.nodes; n++) {
        others.push(await startChildNode(nodeCfg, onReport));
        pending.push([]);
      }
    },
    enqueue(seq) {
      const k = seq % cfg.nodes;
      if (k === 0) return node1.fire(seq);
      pending[k - 1].push(seq);
      if (!flushing) {
        flushing = true;
        setImmediate(flush);
      }
    },
    async cpuMark() {
      const marks = {};
      for (let i = 0; i < others.length; i++) {
        const { cpuUs, mainCpuUs } = await others[i].cpu();
        marks[`node ${i + 2}`] = { cpuUs, mainCpuUs };
      }
      marks.postgres = { cpuUs: postgresCpuUs(cfg.postmasterPid), mainCpuUs: null };
      return marks;
    },
    async stop() {
      const nodes = [];
      for (let i = 0; i < others.length; i++) {
        const r = await others[i].stop();
        failures += r.failures;
        enqueueErrors += r.enqueueErrors;
        nodes.push({ node: i + 2, peakRssMiB: r.peakRssMiB === null ? null : Math.round(r.peakRssMiB * 10) / 10 });
      }
      await node1.stop();
      return { failures, enqueueErrors, nodes: cfg.nodes, nodePeakRss: nodes };
    },
  };
});
