// The usual alternative: BullMQ on Redis, a Worker at concurrency 32 doing the same sign + POST with undici.
// Queue and Worker share this process so "delivered" is the worker's own completed event, like Hookbench's
// delivery.updated. Jobs keep BullMQ's defaults (completed jobs kept in Redis) and return the attempt's status
// and duration, the closest BullMQ gets to an attempt log.
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Pool } from 'undici';
import { runChild } from '../lib/driver.mjs';
import { EVENT_TYPE, envelope, makeData, signHeaders } from '../lib/payload.mjs';

const CONCURRENCY = 32;
const JOB_OPTS = { attempts: 8, backoff: { type: 'exponential', delay: 2000 } };

runChild(async (cfg) => {
  const connection = { host: '127.0.0.1', port: cfg.redisPort, maxRetriesPerRequest: null };
  const url = new URL(cfg.receiverUrl);
  const pool = new Pool(url.origin, { connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 60_000 });
  const data = makeData();
  const queue = new Queue('webhooks', { connection });
  let worker;
  let enqueueErrors = 0;
  let failures = 0;

  return {
    name: 'bullmq',
    async start({ onDelivered }) {
      worker = new Worker(
        'webhooks',
        async (job) => {
          const { id, createdAt } = job.data;
          const body = JSON.stringify(envelope(id, createdAt, job.data.data));
          const started = performance.now();
          const res = await pool.request({
            path: url.pathname,
            method: 'POST',
            headers: signHeaders(id, Math.floor(Date.now() / 1000), body),
            body,
          });
          const text = await res.body.text();
          if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}`);
          return { status: res.statusCode, durationMs: performance.now() - started, body: text };
        },
        { connection, concurrency: CONCURRENCY },
      );
      worker.on('completed', (job) => onDelivered(job.data.seq));
      worker.on('failed', () => failures++);
      await worker.waitUntilReady();
    },
    enqueue(seq) {
      const job = { seq, id: randomUUID(), createdAt: new Date().toISOString(), data };
      // Not awaited: ioredis pipelines the adds, as a producer firing events would. (addBulk batching was
      // measured too: no faster here, and worse latency at the paced rate.)
      queue.add(EVENT_TYPE, job, JOB_OPTS).catch(() => enqueueErrors++);
    },
    async stop() {
      await worker?.close();
      await queue.close();
      await pool.close();
      return { failures, enqueueErrors };
    },
  };
});
