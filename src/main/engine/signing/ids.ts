// Deterministic provider-looking ids derived from ours, so a retry carries the same delivery id as the first attempt.
import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `msgId` itself when it is a uuid, otherwise a name-based uuid (version 5 layout over SHA-256) of it. */
export function uuidFrom(msgId: string): string {
  if (UUID.test(msgId)) return msgId.toLowerCase();
  const h = createHash('sha256').update(`hookbench:${msgId}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A stable 9-digit number for an id (GitHub hook ids and similar numeric ids). */
export function numericIdFrom(id: string): number {
  const n = createHash('sha256').update(`hookbench:${id}`).digest().readUInt32BE(0);
  return 100_000_000 + (n % 900_000_000);
}
