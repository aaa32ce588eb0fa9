// `hookbench verify`: checks one captured request's signature offline. Exit 0 verified, 1 not, 2 bad usage.
import { readFile } from 'node:fs/promises';
import { type SchemeName, VerifyFlags } from '../../shared';
import { getScheme } from '../engine/signing';
import { standardKey } from '../engine/signing/standard';
import type { VerifyInput } from '../engine/signing/types';
import { parseFlags, UsageError } from './flags';

/** Where verify reads and writes; the command wires the process's streams, tests pass their own. */
export interface VerifyIo {
  /** the whole of stdin (read only when a flag is -) */
  readStdin(): Promise<Buffer>;
  out(line: string): void;
  /** unix seconds now */
  now(): number;
}

const processIo: VerifyIo = {
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return Buffer.concat(chunks);
  },
  out: (line) => process.stdout.write(`${line}\n`),
  now: () => Math.floor(Date.now() / 1000),
};

async function readSource(flag: string, path: string, io: VerifyIo): Promise<Buffer> {
  if (path === '-') return io.readStdin();
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`--${flag}: cannot read ${path} (${code})`);
  }
}

/**
 * A JSON object of headers -> lower-cased names. Names differing only in case become one repeated header,
 * which the schemes refuse as a duplicate rather than silently picking one.
 */
export function parseHeadersJson(text: string): VerifyInput['headers'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('--headers: not valid JSON (expected an object like {"webhook-id": "..."})');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError('--headers: expected a JSON object of header names to values');
  }
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(parsed)) {
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === 'string')) {
      throw new UsageError(`--headers: the value of "${name}" must be a string or an array of strings`);
    }
    const key = name.toLowerCase();
    const list = Object.hasOwn(headers, key) ? (headers[key] as string[]) : [];
    headers[key] = list.concat(values as string[]);
  }
  const out: VerifyInput['headers'] = {};
  for (const [k, v] of Object.entries(headers)) out[k] = v.length === 1 ? v[0] : v;
  return out;
}

/** Runs one verification; resolves to the exit code. Never prints the secret. */
export async function runVerify(raw: Record<string, unknown>, io: VerifyIo = processIo): Promise<number> {
  const flags = parseFlags(VerifyFlags, raw);
  const scheme: SchemeName = flags.scheme;
  if (scheme === 'standard' && !standardKey(flags.secret)) {
    throw new UsageError('--secret: a Standard Webhooks secret is whsec_ followed by base64');
  }
  const headerBytes = await readSource('headers', flags.headers, io);
  const headers = parseHeadersJson(headerBytes.toString('utf8'));
  const body = await readSource('body', flags.body, io);
  const result = getScheme(scheme).verify({
    headers,
    body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
    secret: flags.secret,
    now: io.now(),
    toleranceSec: flags.tolerance,
  });
  io.out(result.ok ? 'verified' : `not verified: ${result.reason}`);
  return result.ok ? 0 : 1;
}
