// The ceiling: undici Pool.request posting pre-signed ~1 KiB payloads at concurrency 32, nothing stored.
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { runChild } from '../lib/driver.mjs';
import { envelope, makeData, signHeaders } from '../lib/payload.mjs';

const CONCURRENCY = 32;
/** distinct pre-signed requests, reused in turn (signing and JSON are not part of the ceiling) */
const PRESIGNED = 1024;

runChild(async (cfg) => {
  const data = makeData();
  const ts = Math.floor(Date.now() / 1000);
  const requests = Array.from({ length: PRESIGNED }, () => {
    const id = randomUUID();
    const body = JSON.stringify(envelope(id, new Date().toISOString(), data));
    return { path: '/', method: 'POST', headers: signHeaders(id, ts, body), body };
  });
  const url = new URL(cfg.receiverUrl);
  const pool = new Pool(url.origin, { connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 60_000 });
  const queue = [];
  let head = 0;
  let idle = [];
  let onDelivered;
  let failures = 0;

  async function worker() {
    for (;;) {
      if (head === queue.length) {
        await new Promise((r) => idle.push(r));
        continue;
      }
      const seq = queue[head++];
      try {
        const res = await pool.request(requests[seq % PRESIGNED]);
        await res.body.text();
        if (res.statusCode >= 200 && res.statusCode < 300) onDelivered(seq);
        else failures++;
      } catch {
        failures++;
      }
    }
  }

  return {
    name: 'raw',
    async start(hooks) {
      onDelivered = hooks.onDelivered;
      for (let i = 0; i < CONCURRENCY; i++) worker();
    },
    enqueue(seq) {
      queue.push(seq);
      if (idle.length > 0) {
        const wake = idle;
        idle = [];
        for (const w of wake) w();
      }
    },
    async stop() {
      await pool.close();
      return { failures };
    },
  };
});
