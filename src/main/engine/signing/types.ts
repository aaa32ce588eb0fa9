import type { SchemeName } from '../../../shared';

export interface SignInput {
  /** stable across retries: the event id (Standard Webhooks' webhook-id) or a per-delivery id */
  msgId: string;
  /** unix seconds of this attempt */
  timestamp: number;
  /** the exact body bytes sent (UTF-8) */
  body: string;
  /** every secret that signs now: the current one first, then those in their rotation grace period */
  secrets: string[];
  eventType: string;
  endpointId: string;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export interface VerifyInput {
  /** request headers, names lower-cased */
  headers: Record<string, string | string[] | undefined>;
  body: string | Uint8Array;
  secret: string;
  /** unix seconds "now" (injectable clock) */
  now: number;
  /** allowed distance between the signed timestamp and now; scheme default when omitted */
  toleranceSec?: number;
}

/** A signature scheme: one module per scheme under signing/, looked up by name. */
export interface SigningScheme {
  readonly name: SchemeName;
  /** headers that carry the signature (for display and redaction decisions), lower-case */
  readonly signatureHeaders: readonly string[];
  /** a new random secret in this scheme's format */
  generateSecret(): string;
  /** the headers to add to one attempt (signature plus the scheme's metadata headers) */
  sign(input: SignInput): Record<string, string>;
  /** constant-time verification; never throws on hostile input */
  verify(input: VerifyInput): VerifyResult;
}
