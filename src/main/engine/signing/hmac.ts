// Small crypto and header helpers shared by the scheme modules. Everything here is total: hostile input
// (garbage, wrong lengths, duplicates) yields a value or null, never an exception.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VerifyInput, VerifyResult } from './types';

export const OK: VerifyResult = { ok: true };
export const fail = (reason: string): VerifyResult => ({ ok: false, reason });

/** HMAC-SHA256 over the concatenation of the parts (strings are UTF-8, hashed without a copy into a Buffer). */
export function hmacSha256(key: string | Uint8Array, ...parts: (string | Uint8Array)[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const p of parts) mac.update(p);
  return mac.digest();
}

/** Constant-time comparison of two byte strings; unequal lengths are rejected first (timingSafeEqual throws on them). */
export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Compares an expected ASCII signature with a received one without leaking where they differ. */
export function safeEqualText(expected: string, received: string): boolean {
  return safeEqual(Buffer.from(expected, 'utf8'), Buffer.from(received, 'utf8'));
}

export type HeaderLookup = { value: string } | { missing: true } | { duplicate: true };

/**
 * One header's single value. Repeated headers are refused rather than merged: an attacker who can add a
 * second signature or timestamp header should not get to pick which one we read.
 */
export function singleHeader(headers: VerifyInput['headers'], name: string): HeaderLookup {
  let raw: unknown;
  try {
    raw = Object.hasOwn(headers, name) ? headers[name] : undefined;
  } catch {
    raw = undefined;
  }
  if (Array.isArray(raw)) {
    const strings = raw.filter((v): v is string => typeof v === 'string');
    if (strings.length > 1) return { duplicate: true };
    raw = strings[0];
  }
  if (typeof raw !== 'string' || raw.trim() === '') return { missing: true };
  return { value: raw.trim() };
}

/** The header's value, or the verification failure to return. */
export function requireHeader(headers: VerifyInput['headers'], name: string): string | VerifyResult {
  const h = singleHeader(headers, name);
  if ('value' in h) return h.value;
  return 'duplicate' in h ? fail(`duplicate ${name} header`) : fail(`missing ${name} header`);
}

/** Unix seconds from a header value: digits only (no sign, exponent or fraction), at most 12 of them. */
export function parseUnixSeconds(text: string): number | null {
  return /^\d{1,12}$/.test(text) ? Number(text) : null;
}

/** Tolerance check in both directions: a replayed old request and a clock-skewed future one are both refused. */
export function checkTimestamp(ts: number, now: number, toleranceSec: number): VerifyResult {
  if (!Number.isFinite(now)) return fail('no current time');
  if (now - ts > toleranceSec) return fail(`timestamp too old (${now - ts} s > ${toleranceSec} s tolerance)`);
  if (ts - now > toleranceSec) return fail(`timestamp too new (${ts - now} s ahead > ${toleranceSec} s tolerance)`);
  return OK;
}

export function toleranceOf(input: VerifyInput, fallback: number): number {
  const t = input.toleranceSec;
  return typeof t === 'number' && Number.isFinite(t) && t >= 0 ? t : fallback;
}
