// An insertion-ordered map for the engine's long-lived, per-delivery bookkeeping (leases held, attempts running,
// requests out to the HTTP worker, the scheduler's turn order), where a JS Map costs the garbage collector dearly.
//
// Why not Map: V8 stores a Map in a hash table that it replaces when deletions and insertions fill it, and the
// replaced table keeps its entries and a link to its successor (for iterators still walking it). A Map that lives
// long is in the old generation; entries set and deleted there thousands of times a second make a chain of dead
// tables in old space, and a scavenge treats what those dead tables point to as alive. Measured (a Map of 8 live
// entries, 20 set/delete a turn): every scavenge promoted ~60 MB; with this map, nothing. In the engine at 2,000
// deliveries/s, ~760 KB per scavenge went to old space this way (~420 bytes per delivery: each attempt's request,
// promises and delivery), which grew V8's young generation and lengthened every scavenge.
//
// This map keeps entries in plain arrays in insertion order, finds them through an Int32Array of buckets, and never
// leaves a reference behind: a deleted entry's slots are cleared at once, and storage it stops using (when it
// compacts or grows) is emptied first.
const EMPTY = -1;
const MIN_CAPACITY = 8;

/** FNV-1a over the string's UTF-16 code units; numbers are mixed by a multiplicative hash. */
function hashOf(key: string | number): number {
  if (typeof key === 'number') return Math.imul(key | 0, 0x9e3779b1) ^ ((key / 0x100000000) | 0);
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h;
}

export class SlotMap<K extends string | number, V> {
  /** entries in insertion order, live and deleted; a deleted entry's key is undefined (keys never are) */
  private keys: Array<K | undefined>;
  private vals: Array<V | undefined>;
  /** per bucket, its first entry (EMPTY: none); per entry, the next in its bucket */
  private buckets: Int32Array;
  private chain: Int32Array;
  /** entries used (live and deleted) */
  private end = 0;
  private live = 0;

  constructor() {
    this.keys = new Array<K | undefined>(MIN_CAPACITY).fill(undefined);
    this.vals = new Array<V | undefined>(MIN_CAPACITY).fill(undefined);
    this.buckets = new Int32Array(MIN_CAPACITY / 2).fill(EMPTY);
    this.chain = new Int32Array(MIN_CAPACITY).fill(EMPTY);
  }

  get size(): number {
    return this.live;
  }

  has(key: K): boolean {
    return this.find(key, hashOf(key)) !== EMPTY;
  }

  get(key: K): V | undefined {
    const e = this.find(key, hashOf(key));
    return e === EMPTY ? undefined : this.vals[e];
  }

  /** Sets the value; a new key goes last in the order (an existing one keeps its place, as in Map). */
  set(key: K, value: V): this {
    const h = hashOf(key);
    const e = this.find(key, h);
    if (e !== EMPTY) {
      this.vals[e] = value;
      return this;
    }
    if (this.end === this.keys.length)
      this.resize(this.live >= this.keys.length / 2 ? this.keys.length * 2 : this.keys.length);
    const at = this.end++;
    this.keys[at] = key;
    this.vals[at] = value;
    const b = h & (this.buckets.length - 1);
    this.chain[at] = this.buckets[b] as number;
    this.buckets[b] = at;
    this.live++;
    return this;
  }

  delete(key: K): boolean {
    const e = this.find(key, hashOf(key));
    if (e === EMPTY) return false;
    this.keys[e] = undefined;
    this.vals[e] = undefined;
    this.live--;
    if (this.live === 0) this.clear();
    return true;
  }

  clear(): void {
    this.keys.fill(undefined, 0, this.end);
    this.vals.fill(undefined, 0, this.end);
    this.buckets.fill(EMPTY);
    this.end = 0;
    this.live = 0;
  }

  /** Calls fn for each entry in insertion order. fn may delete entries (any of them); it must not set any. */
  forEach(fn: (value: V, key: K) => void): void {
    for (let e = 0; e < this.end; e++) {
      const k = this.keys[e];
      if (k !== undefined) fn(this.vals[e] as V, k);
    }
  }

  /** Whether fn is true for an entry, in insertion order, stopping at the first; fn as in forEach. */
  some(fn: (value: V, key: K) => boolean): boolean {
    for (let e = 0; e < this.end; e++) {
      const k = this.keys[e];
      if (k !== undefined && fn(this.vals[e] as V, k)) return true;
    }
    return false;
  }

  keysArray(): K[] {
    const out: K[] = [];
    this.forEach((_, k) => {
      out.push(k);
    });
    return out;
  }

  valuesArray(): V[] {
    const out: V[] = [];
    this.forEach((v) => {
      out.push(v);
    });
    return out;
  }

  private find(key: K, h: number): number {
    for (let e = this.buckets[h & (this.buckets.length - 1)] as number; e !== EMPTY; e = this.chain[e] as number) {
      if (this.keys[e] === key) return e;
    }
    return EMPTY;
  }

  /** Live entries moved to the front of storage of `capacity` entries, in order; what is left behind is emptied. */
  private resize(capacity: number): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const oldEnd = this.end;
    if (capacity !== oldKeys.length) {
      this.keys = new Array<K | undefined>(capacity).fill(undefined);
      this.vals = new Array<V | undefined>(capacity).fill(undefined);
      this.chain = new Int32Array(capacity);
      this.buckets = new Int32Array(capacity / 2);
    }
    this.buckets.fill(EMPTY);
    let to = 0;
    for (let e = 0; e < oldEnd; e++) {
      const k = oldKeys[e];
      if (k === undefined) continue;
      const v = oldVals[e];
      this.keys[to] = k;
      this.vals[to] = v;
      const b = hashOf(k) & (this.buckets.length - 1);
      this.chain[to] = this.buckets[b] as number;
      this.buckets[b] = to;
      to++;
    }
    if (this.keys === oldKeys) {
      // compacted in place: empty the tail it no longer uses
      oldKeys.fill(undefined, to, oldEnd);
      oldVals.fill(undefined, to, oldEnd);
    } else {
      // grown: the old storage must not keep anything alive
      oldKeys.fill(undefined);
      oldVals.fill(undefined);
    }
    this.end = to;
  }
}
