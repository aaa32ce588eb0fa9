// Event and delivery ids: UUID version 7 (RFC 9562), time-ordered. Every index keyed by an id (the primary keys,
// attempts by delivery, deliveries by event) then receives new rows on its rightmost page, as for a counter,
// instead of on a random page: profiled, random v4 keys made each attempt insert dirty its own index page, about
// half the pages of an acknowledgement commit, and missed the page cache once the tables grew.
// The timestamp is the wall clock, not the engine clock: it orders rows physically and carries no meaning (a
// test clock standing still must not make ids collide or go backwards).
import { randomFillSync } from 'node:crypto';

const POOL_IDS = 256;
/** random bytes for many ids at once (randomUUID does the same) */
const pool = Buffer.alloc(POOL_IDS * 10);
let poolAt = POOL_IDS;
let lastMs = 0;
/** 12-bit sequence in rand_a: ids made in one millisecond stay in order (RFC 9562, method 1) */
let seq = 0;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function newId(): string {
  if (poolAt === POOL_IDS) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const r = poolAt++ * 10;
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    // start low in the sequence space so a burst in this millisecond has room to count up
    seq = (pool[r] as number) & 0x1ff;
  } else {
    ms = lastMs;
    seq++;
    if (seq > 0xfff) {
      // more than 4096 ids in a millisecond: borrow the next one, keeping the order
      lastMs = ms = lastMs + 1;
      seq = 0;
    }
  }
  const h = (n: number) => HEX[n & 0xff] as string;
  // 48-bit ms timestamp, big-endian (division instead of shifts: ms does not fit in 32 bits)
  const hi = Math.floor(ms / 0x10000);
  const lo = ms & 0xffff;
  return (
    `${h(hi >>> 24)}${h(hi >>> 16)}${h(hi >>> 8)}${h(hi)}-${h(lo >>> 8)}${h(lo)}-` +
    `${h(0x70 | (seq >>> 8))}${h(seq)}-${h(0x80 | ((pool[r + 1] as number) & 0x3f))}${h(pool[r + 2] as number)}-` +
    `${h(pool[r + 3] as number)}${h(pool[r + 4] as number)}${h(pool[r + 5] as number)}${h(pool[r + 6] as number)}` +
    `${h(pool[r + 7] as number)}${h(pool[r + 8] as number)}`
  );
}
