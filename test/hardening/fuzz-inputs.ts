// Hostile inputs for the bad-input suite: wrong types, huge strings, deep JSON, odd unicode and
// prototype-pollution keys, shaped after each contract route's input so that they reach past the first field.
import fc from 'fast-check';
import type { z } from 'zod';
import { pathParams, type RouteDef } from '../../src/shared';

/** Values that are valid for a field name, so that a hostile neighbour is what gets judged. */
export type GoodValues = Record<string, unknown>;

const deep = (depth: number, kind: 'array' | 'object') => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
};

/** Objects whose own keys are `__proto__` / `constructor` (a literal would set the prototype instead). */
export const pollution = [
  JSON.parse('{"__proto__":{"polluted":"yes"}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  JSON.parse('{"__proto__":{"__proto__":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}'),
];

const weirdStrings = [
  '',
  ' ',
  '\u0000',
  '\ud800', // a lone surrogate
  '\udfff\ud800',
  '\u202e\u0041\u200b',
  'é'.normalize('NFD'),
  '👩‍👩‍👧‍👦'.repeat(50),
  '%00%ff%E0%A4%A',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "'; DROP TABLE deliveries; --",
  '__proto__',
  'constructor',
  'NaN',
  '-0',
  '1e999',
  'true',
  'null',
  '{}',
  '[]',
];

/** Not-a-URL and not-ours URL strings: fuzzing never reaches a host other than 127.0.0.1. */
const urlLike = [
  'javascript:alert(1)',
  'file:///etc/passwd',
  'ftp://127.0.0.1/x',
  'http://',
  'http:///x',
  '//127.0.0.1:9/x',
  `http://127.0.0.1:9/${'a'.repeat(5000)}`,
  'http://127.0.0.1:99999/',
  'http://[::1:9/',
  'data:text/plain,hi',
];

export const hugeString = fc.constantFrom(1_000, 70_000, 300_000).map((n) => 'x'.repeat(n));

/** Any hostile JSON-able value. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 32 }),
  fc.constantFrom(...weirdStrings),
  fc.constantFrom(...urlLike),
  hugeString,
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 8 }),
  fc.array(fc.constant('x'), { minLength: 600, maxLength: 600 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 5 }),
  // deeper nesting goes as raw text (rawBodies): JSON.stringify itself recurses
  fc.constantFrom(deep(64, 'array'), deep(1_500, 'array'), deep(1_500, 'object')),
  fc.constantFrom(...pollution),
);

/** URL fields get only not-a-URL values or the closed local port: a fuzz run never leaves 127.0.0.1. */
const hostileUrl = fc.oneof(
  fc.constantFrom(...urlLike),
  fc.constantFrom(...weirdStrings),
  fc.integer(),
  fc.constant(null),
);

const URL_KEYS = new Set(['url', 'notificationUrl']);

/** An input object for a route: its own keys (hostile, valid, or absent) plus stray and polluting keys. */
export function routeInput(shape: Record<string, z.ZodType> | null, good: GoodValues) {
  const keys = Object.keys(shape ?? {});
  const fields = keys.map((key) => {
    const bad = URL_KEYS.has(key) ? hostileUrl : hostileValue;
    const options = key in good ? [fc.constant(good[key]), bad, bad] : [bad];
    return fc.option(fc.oneof(...options), { nil: undefined, freq: 4 }).map((v) => [key, v] as const);
  });
  const extras = fc.array(
    fc.oneof(
      fc
        .constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty')
        .map((k) => [k, { polluted: 'yes' }] as const),
      fc.tuple(fc.string({ maxLength: 12 }), hostileValue),
    ),
    { maxLength: 2 },
  );
  return fc.tuple(fc.tuple(...fields), extras).map(([own, extra]) => {
    // JSON.parse keeps `__proto__` as an own key, so the polluting keys reach the server as written.
    const parts: string[] = [];
    for (const [k, v] of [...own, ...extra])
      if (v !== undefined) parts.push(`${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`);
    return JSON.parse(`{${parts.join(',')}}`) as Record<string, unknown>;
  });
}

/** The REST request for an input: path parameters filled (URL-encoded), query string or JSON body. */
export function restRequest(def: RouteDef, input: Record<string, unknown>) {
  let path = def.http.path;
  const rest: Record<string, unknown> = { ...input };
  for (const name of pathParams(def.http.path)) {
    const v = Object.hasOwn(rest, name) ? rest[name] : 'missing-id';
    delete rest[name];
    path = path.replace(`{${name}}`, segment(v));
  }
  const method = def.http.method;
  if (method === 'GET' || method === 'DELETE') {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(rest)) {
      const values = Array.isArray(v) ? v : [v];
      for (const item of values.slice(0, 50))
        q.append(k, typeof item === 'string' ? item : (JSON.stringify(item) ?? ''));
    }
    const qs = q.toString();
    return { method, path: qs ? `${path}?${qs}` : path };
  }
  return { method, path, body: serialize(rest) };
}

/** A path segment for any value; lone surrogates (which encodeURIComponent refuses) go as their JSON escape. */
function segment(v: unknown): string {
  const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null');
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(JSON.stringify(text));
  }
}

/** JSON text that keeps own `__proto__` keys (JSON.stringify does, for objects that came from JSON.parse). */
export const serialize = (v: unknown) => JSON.stringify(v) ?? 'null';

/** Raw bodies no JSON route may choke on. */
export const rawBodies: { body: string | Buffer; contentType?: string; why: string }[] = [
  { body: '{', why: 'truncated JSON' },
  { body: 'null', why: 'JSON null' },
  { body: '[]', why: 'a JSON array' },
  { body: '"text"', why: 'a JSON string' },
  { body: '12', why: 'a JSON number' },
  { body: '{"a":1,"a":2}', why: 'duplicate keys' },
  { body: '\ufeff{}', why: 'a byte-order mark' },
  { body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), why: 'invalid UTF-8' },
  { body: '{"__proto__":{"polluted":"yes"}}', why: 'a polluting key' },
  { body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, why: '100k-deep arrays' },
  { body: `{"data":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`, why: '50k-deep objects' },
  { body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded', why: 'a form body' },
  { body: '{}', contentType: 'text/plain', why: 'a JSON body labelled text' },
  { body: `{"x":"${'y'.repeat(2 * 1024 * 1024)}"}`, why: 'a 2 MiB body' },
];

/** Raw query strings for GET routes. */
export const rawQueries = [
  'limit=1e999',
  'limit=-0',
  'limit=0x10',
  'limit=1&limit=2',
  `cursor=${'A'.repeat(5_000)}`,
  'cursor=%00',
  'status=%E0%A4%A',
  '__proto__[polluted]=yes',
  'constructor[prototype][polluted]=yes',
  '%%%=%%%',
  'enabled=maybe',
  'type=%ED%A0%80', // a surrogate encoded as UTF-8: invalid
];

/** Misspelt keys a caller really sends: each must be refused by name, never ignored. */
export const typoKeys = ['maxAttemps', 'evenTypes', 'sceme', 'timeout_ms', 'validat'];

/** Nested typos where an input holds objects: path -> the input that carries it. */
export const nestedTypos: Array<{ route: string; input: Record<string, unknown>; path: string[] }> = [
  { route: 'settings.update', input: { retry: { maxAttemps: 5 } }, path: ['retry', 'maxAttemps'] },
  { route: 'settings.update', input: { autoDisable: { treshold: 3 } }, path: ['autoDisable', 'treshold'] },
  { route: 'inboxes.create', input: { script: { statuss: 500 } }, path: ['script', 'statuss'] },
  { route: 'inboxes.create', input: { createEndpoint: { schem: 'github' } }, path: ['createEndpoint', 'schem'] },
];
