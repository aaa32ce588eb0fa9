// A wake-up that arrives while a pass is being written (PostgreSQL's passes are awaited): the pass's claim may have
// found the endpoint drained just before a person's retry committed, and its "nothing more pending" must not erase
// the wake-up that came after. A unit test of the Dispatcher over a storage port whose passes the test resolves by
// hand, so the interleaving is exact (the same race on a real database depends on timing).
import { describe, expect, it } from 'vitest';
import type { DispatchStore, PassInput, PassOutput } from '../../src/main/engine/delivery/dispatch-store';
import { Dispatcher } from '../../src/main/engine/delivery/dispatcher';
import { LeaseBook } from '../../src/main/engine/delivery/lease';
import { HttpClient } from '../../src/main/engine/http/client';
import { systemClock } from '../../src/main/engine/types';
import { defaultSettings } from '../../src/shared';
import { dispatchTarget } from '../support/dispatch-target';
import { waitFor } from '../support/wait';

const target = dispatchTarget('ep_a', 'http://127.0.0.1:9/never-sent');

/** A pass that claimed nothing and found the endpoints it claimed for drained (nothing pending). */
const drainedPass = (input: PassInput): PassOutput => ({
  created: [],
  claimed: [],
  drained: new Map(input.claims.map((c) => [c.endpointId, null])),
  due: new Map(),
  publish() {},
});

describe('a wake-up while a pass is being written', () => {
  it('is claimed for by the next pass, not erased by the pass that found the endpoint drained', async () => {
    const passes: Array<{ input: PassInput; resolve: (out: PassOutput) => void }> = [];
    const storage: DispatchStore = {
      pass: (input: PassInput) => new Promise<PassOutput>((resolve) => passes.push({ input, resolve })),
      renewAll: async () => [],
      dueEndpoints: () => ['ep_a'],
      release: async () => null,
      hold: async () => null,
      renew: async () => null,
    } as unknown as DispatchStore;
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const dispatcher = new Dispatcher(
      { clock: systemClock, log, emit: () => {}, settings: () => defaultSettings },
      {
        storage,
        store: { target: (id) => (id === 'ep_a' ? target : null) },
        http: new HttpClient(systemClock),
        leases: new LeaseBook(systemClock, 10_000),
        recovery: () => ({ start() {}, stop() {} }),
      },
      { perEndpointConcurrency: 4, batchSize: 128, leaseGraceMs: 10_000 },
    );
    dispatcher.start();
    try {
      // the start's look at storage: ep_a has work, and the first pass claims for it
      await waitFor(() => passes.length === 1);
      expect(passes[0]?.input.claims.map((c) => c.endpointId)).toEqual(['ep_a']);
      // while it is written, a person's retry commits and wakes the dispatcher for ep_a...
      dispatcher.wake('ep_a');
      // ...and the pass answers as its claim saw the queue before that commit: ep_a drained
      passes[0]?.resolve(drainedPass(passes[0].input));
      await waitFor(() => passes.length === 2, { timeoutMs: 2_000, message: 'a second pass claims for ep_a' });
      expect(passes[1]?.input.claims.map((c) => c.endpointId)).toEqual(['ep_a']);
      // that one drained it for real: no third pass
      passes[1]?.resolve(drainedPass(passes[1].input));
      await new Promise((r) => setTimeout(r, 100));
      expect(passes).toHaveLength(2);
    } finally {
      const stopped = dispatcher.stop();
      for (const p of passes.slice(2)) p.resolve(drainedPass(p.input));
      await stopped;
    }
  });
});
