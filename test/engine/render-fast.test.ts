// The dispatcher renders Standard Webhooks bodies around the stored data text instead of parsing it; the result
// must be renderBody's output byte for byte, for any JSON the engine can store.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderFromJson } from '../../src/main/engine/delivery/attempt';
import { renderBody } from '../../src/main/engine/profiles';
import type { SchemeName } from '../../src/shared';

const schemes: SchemeName[] = ['standard', 'stripe', 'github', 'shopify'];
// JSON values as the engine stores them: whatever JSON.stringify makes of a parsed request body
const storedData = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v) ?? 'null') as unknown);
const awkwardKeys = fc.dictionary(
  fc.constantFrom('__proto__', 'constructor', '10', '2', '-1', '1.5', 'é', '\u2028', '\ud800', ''),
  fc.oneof(fc.string(), fc.double(), fc.integer(), fc.constant(-0), fc.constant(null)),
);

describe('renderFromJson', () => {
  it('equals renderBody of the parsed data for every scheme', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          storedData,
          awkwardKeys.map((o) => JSON.parse(JSON.stringify(o)) as unknown),
        ),
        fc.constantFrom(...schemes),
        fc.string({ unit: 'binary', maxLength: 20 }),
        (data, scheme, type) => {
          const event = {
            id: '01938a5e-0000-7000-8000-000000000000',
            type,
            version: 'v1',
            createdAt: '2026-01-01T00:00:00.000Z',
          };
          const json = JSON.stringify(data);
          expect(renderFromJson(scheme, { ...event, data: undefined }, json)).toBe(
            renderBody(scheme, { ...event, data }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
