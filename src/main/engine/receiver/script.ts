// Deciding how to answer one request from a ResponseScript: hang, 401 for a signature that does not verify,
// scripted failure (first N per webhook id, or a share at random) or the scripted answer. Pure except for the
// per-webhook counters it keeps.
import type { ResponseScript } from '../../../shared';
import type { Verification } from './verdict';

export type Decision =
  | { kind: 'hang' }
  | { kind: 'answer'; status: number; headers: Record<string, string>; body: string; delayMs: number; failed: boolean };

/** Counters of requests seen per (target, webhook id), bounded so a flood of distinct ids cannot grow memory. */
export class FailCounter {
  private readonly counts = new Map<string, number>();
  constructor(private readonly maxKeys = 10_000) {}

  /** counts one more request for this key and returns the new count (1 for the first) */
  hit(key: string): number {
    const n = (this.counts.get(key) ?? 0) + 1;
    // Delete then set so the key moves to the end: Map iteration order then evicts the least recently seen.
    this.counts.delete(key);
    this.counts.set(key, n);
    if (this.counts.size > this.maxKeys) {
      const oldest = this.counts.keys().next().value;
      if (oldest !== undefined) this.counts.delete(oldest);
    }
    return n;
  }

  /** forgets the counts of one target (e.g. when its inbox is cleared) */
  forget(targetKey: string): void {
    const prefix = `${targetKey}\0`;
    for (const k of this.counts.keys()) if (k.startsWith(prefix)) this.counts.delete(k);
  }
}

export interface DecideInput {
  script: ResponseScript;
  /** per-target namespace of the counters (inbox id, or "listen") */
  targetKey: string;
  /** the webhook id (stable across retries), or null: requests without one share a counter */
  webhookId: string | null;
  counter: FailCounter;
  /** 0..1 */
  random: () => number;
  /** the request's signature verdict, or null when nothing verifies it (no secret) */
  verification: Verification | null;
}

export function decide({ script, targetKey, webhookId, counter, random, verification }: DecideInput): Decision {
  if (script.hang) return { kind: 'hang' };
  // A consumer checks the signature before anything else: a rejected request counts toward no failure rule.
  if (script.rejectUnverified && verification && !verification.verified) {
    return {
      kind: 'answer',
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'signature not verified', reason: verification.reason }),
      delayMs: script.delayMs,
      failed: true,
    };
  }
  let failedBy: string | null = null;
  if (script.failFirst > 0) {
    const n = counter.hit(`${targetKey}\0${webhookId ?? ''}`);
    if (n <= script.failFirst) failedBy = `fail first ${script.failFirst} (request ${n})`;
  }
  if (!failedBy && script.failPercent > 0 && random() * 100 < script.failPercent) {
    failedBy = `fail ${script.failPercent}% at random`;
  }
  if (failedBy) {
    return {
      kind: 'answer',
      status: script.failStatus,
      headers: { ...withoutContentType(script.headers), 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'scripted failure', rule: failedBy }),
      delayMs: script.delayMs,
      failed: true,
    };
  }
  const headers = { ...script.headers };
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = looksLikeJson(script.body) ? 'application/json' : 'text/plain; charset=utf-8';
  }
  return { kind: 'answer', status: script.status, headers, body: script.body, delayMs: script.delayMs, failed: false };
}

function withoutContentType(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-type'));
}

function looksLikeJson(s: string): boolean {
  const t = s.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}
