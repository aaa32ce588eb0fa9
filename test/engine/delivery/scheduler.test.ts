// The scheduler's fairness and adaptive limits, in memory: who starts next, who may hold what, how limits move.
import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery } from '../../../src/main/engine/delivery/queue';
import { Scheduler } from '../../../src/main/engine/delivery/scheduler';

let seq = 0;
function delivery(endpointId: string): ClaimedDelivery {
  seq++;
  return {
    id: `d${seq}`,
    event_id: `e${seq}`,
    endpoint_id: endpointId,
    attempt_count: 0,
    max_attempts: 5,
    lease_until: 0,
    lease_seq: 1,
    last_status: null,
    type: 'a.b',
    version: 'v1',
    event_created_at: 0,
    data: '{}',
  };
}

/** Starts what may start now; returns the endpoints in start order. */
function startAll(s: Scheduler, concurrency: number): string[] {
  const out: string[] = [];
  for (let d = s.next(concurrency); d; d = s.next(concurrency)) out.push(d.endpoint_id);
  return out;
}

describe('scheduler', () => {
  it('takes endpoints in turn', () => {
    const s = new Scheduler(8, 4);
    for (const e of ['a', 'a', 'a', 'b', 'b', 'c']) s.add(delivery(e));
    expect(startAll(s, 32)).toEqual(['a', 'b', 'c', 'a', 'b', 'a']);
  });

  it('lets endpoints that hang take no more than leaves a fair share free for another', () => {
    const s = new Scheduler(8, 4);
    const hanging = Array.from({ length: 8 }, (_, i) => `h${i}`);
    for (const h of hanging) for (let i = 0; i < 8; i++) s.add(delivery(h));
    startAll(s, 32);
    // share = floor(32 / (8 + 1)) = 3: beyond it only while more than 3 slots stay free
    expect(s.inFlight).toBe(29);
    s.add(delivery('healthy'));
    expect(startAll(s, 32)).toEqual(['healthy']);
    // and a hanging endpoint holds (claims) no more than its rounds of the share; a newcomer's share is kept
    expect(s.held('h0') + s.room('h0', 32)).toBe(4 * Math.floor(32 / 9));
    // (9 active, the newcomer the 10th, plus room for one more: 32 / 11)
    expect(s.room('newcomer', 32)).toBe(4 * Math.floor(32 / 11));
  });

  it('gives a single endpoint every slot', () => {
    const s = new Scheduler(32, 4);
    for (let i = 0; i < 40; i++) s.add(delivery('only'));
    expect(startAll(s, 32)).toHaveLength(32);
    expect(s.room('only', 32)).toBe(4 * 32 - 40);
  });

  it('halves an endpoint that times out (once per timeout period, down to 1) and grows it back on fast answers', () => {
    const s = new Scheduler(8, 4);
    const run = (pace: 'fast' | 'slow' | 'timeout', at: number) => {
      s.add(delivery('x'));
      expect(startAll(s, 32)).toEqual(['x']);
      s.finished('x', pace, at, 10_000);
    };
    run('timeout', 0);
    expect(s.limitOf('x')).toBe(4);
    run('timeout', 5_000); // the same burst of timeouts: no second cut within the period
    expect(s.limitOf('x')).toBe(4);
    run('timeout', 10_000);
    run('timeout', 20_000);
    run('timeout', 30_000);
    expect(s.limitOf('x')).toBe(1);
    run('slow', 31_000);
    expect(s.limitOf('x')).toBe(1);
    // additive increase: one step per window of `limit` fast answers
    run('fast', 32_000);
    expect(s.limitOf('x')).toBe(2);
    run('fast', 32_001);
    expect(s.limitOf('x')).toBe(2);
    run('fast', 32_002);
    expect(s.limitOf('x')).toBe(3);
    for (let i = 0; i < 100; i++) run('fast', 33_000 + i);
    expect(s.limitOf('x')).toBe(8);
  });
});
