// The composer's schema checker interprets JSON Schema (the renderer's CSP forbids Ajv's code generation);
// Ajv is the oracle: for every case both must agree on valid/invalid and on where the errors are.

import { displayPointer, locateJson } from '@renderer/features/compose/json-locate';
import { checkJson } from '@renderer/features/compose/json-problems';
import { validateJson } from '@renderer/features/compose/json-schema';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';

// multipleOfPrecision: 0.3 is a multiple of 0.1 for people, as it is for our checker
const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false, multipleOfPrecision: 9 });

const invoice = {
  type: 'object',
  required: ['object'],
  properties: {
    object: {
      type: 'object',
      required: ['id', 'amount_paid', 'currency'],
      properties: {
        id: { type: 'string' },
        amount_paid: { type: 'integer', minimum: 0 },
        currency: { type: 'string', pattern: '^[a-z]{3}$' },
        lines: {
          type: 'array',
          items: { type: 'object', required: ['amount'], properties: { amount: { type: 'integer' } } },
        },
      },
    },
  },
};

// JSON text: a literal object with a `then` key reads like a thenable to linters
const ifThenElse = JSON.parse(
  '{"if":{"properties":{"k":{"const":"a"}}},"then":{"required":["a"]},"else":{"required":["b"]}}',
);

const cases: Array<[string, unknown, unknown]> = [
  ['invoice ok', invoice, { object: { id: 'i', amount_paid: 1, currency: 'eur', lines: [{ amount: 2 }] } }],
  [
    'invoice missing + wrong',
    invoice,
    { object: { id: 1, amount_paid: -1, currency: 'EURO', lines: [{}, { amount: 1.5 }] } },
  ],
  ['type list', { type: ['string', 'null'] }, null],
  ['type list bad', { type: ['string', 'null'] }, 3],
  ['integer vs number', { type: 'integer' }, 2.0],
  ['enum', { enum: ['a', { b: 1 }] }, { b: 1 }],
  ['enum bad', { enum: ['a', { b: 1 }] }, { b: 2 }],
  ['const', { const: [1, 2] }, [1, 2]],
  ['const bad', { const: [1, 2] }, [2, 1]],
  ['numbers', { minimum: 1, maximum: 5, exclusiveMaximum: 5, multipleOf: 0.5 }, 4.5],
  ['numbers bad', { exclusiveMinimum: 1, maximum: 5, multipleOf: 0.5 }, 1],
  ['multipleOf float', { multipleOf: 0.1 }, 0.3],
  ['strings', { minLength: 2, maxLength: 3 }, '😀😀'],
  ['strings bad', { minLength: 2, maxLength: 3, pattern: '^a' }, 'bcde'],
  [
    'arrays',
    { prefixItems: [{ type: 'string' }], items: { type: 'integer' }, minItems: 1, uniqueItems: true },
    ['a', 1, 2],
  ],
  [
    'arrays bad',
    { prefixItems: [{ type: 'string' }], items: { type: 'integer' }, maxItems: 2, uniqueItems: true },
    [1, 'x', 'x'],
  ],
  ['items false', { prefixItems: [{}], items: false }, [1, 2]],
  ['contains', { contains: { type: 'string' }, minContains: 2, maxContains: 3 }, [1, 'a']],
  [
    'objects',
    { additionalProperties: false, properties: { a: {} }, patternProperties: { '^x-': { type: 'string' } } },
    { a: 1, 'x-b': 's' },
  ],
  [
    'objects bad',
    { additionalProperties: false, properties: { a: {} }, patternProperties: { '^x-': { type: 'string' } } },
    { a: 1, 'x-b': 2, c: 3 },
  ],
  ['additional schema', { properties: { a: {} }, additionalProperties: { type: 'number' } }, { a: 'x', b: 'y' }],
  ['propertyNames', { propertyNames: { pattern: '^[a-z]+$' }, minProperties: 2 }, { ab: 1, Cd: 2 }],
  ['dependentRequired', { dependentRequired: { card: ['cvc'] } }, { card: 1 }],
  ['dependentSchemas', { dependentSchemas: { card: { required: ['cvc'] } } }, { card: 1 }],
  ['anyOf', { anyOf: [{ type: 'string' }, { type: 'integer' }] }, 1.5],
  ['oneOf two match', { oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1],
  ['oneOf one match', { oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1.5],
  ['allOf', { allOf: [{ minimum: 2 }, { maximum: 1 }] }, 3],
  ['not', { not: { type: 'null' } }, null],
  ['if then else', ifThenElse, { k: 'a' }],
  ['if else branch', ifThenElse, { k: 'z', b: 1 }],
  [
    '$ref $defs',
    { $defs: { money: { type: 'integer', minimum: 0 } }, properties: { amount: { $ref: '#/$defs/money' } } },
    { amount: -5 },
  ],
  [
    '$ref recursive',
    {
      $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } }, required: ['v'] } },
      $ref: '#/$defs/node',
    },
    { v: 1, next: { next: { v: 2 } } },
  ],
  ['false schema', { properties: { a: false } }, { a: 1 }],
];

describe('validateJson agrees with Ajv (draft 2020-12)', () => {
  it.each(cases)('%s', (_name, schema, data) => {
    const validate = ajv.compile(schema as object);
    const ajvValid = validate(data) as boolean;
    const issues = validateJson(schema as Record<string, unknown>, data);
    expect(issues.length === 0).toBe(ajvValid);
    // every instance path Ajv blames outside a combinator's trial branches is one we blame too
    const ours = new Set(issues.map((i) => i.path));
    const leaf = (validate.errors ?? []).filter((e) => !/\/(anyOf|oneOf|not|if|contains)\//.test(e.schemaPath));
    for (const e of leaf) expect(ours.has(e.instancePath)).toBe(true);
  });

  it('speaks like Ajv', () => {
    const issues = validateJson(invoice, { object: { id: 'i', amount_paid: 1.5 } });
    expect(issues).toEqual([
      { path: '/object', keyword: 'required', message: "must have required property 'currency'", property: 'currency' },
      { path: '/object/amount_paid', keyword: 'type', message: 'must be integer' },
    ]);
  });

  it('checks common formats', () => {
    const s = { properties: { at: { format: 'date-time' }, email: { format: 'email' } } };
    expect(validateJson(s, { at: '2026-11-26T12:00:00.000Z', email: 'a@b.co' })).toEqual([]);
    expect(validateJson(s, { at: 'yesterday', email: 'nope' }).map((i) => i.message)).toEqual([
      'must match format "date-time"',
      'must match format "email"',
    ]);
  });
});

describe('locating issues in the text', () => {
  const text = '{\n  "object": {\n    "id": 7,\n    "a/b": [1, {"x": true}]\n  }\n}';

  it('maps JSON Pointers to value and key spans', () => {
    const spans = locateJson(text);
    const id = spans.get('/object/id');
    expect(text.slice(id?.from, id?.to)).toBe('7');
    expect(text.slice(id?.keyFrom, id?.keyTo)).toBe('"id"');
    const x = spans.get('/object/a~1b/1/x');
    expect(text.slice(x?.from, x?.to)).toBe('true');
    expect(displayPointer('/object/a~1b/1/x')).toBe('object["a/b"][1].x');
    expect(displayPointer('')).toBe('(root)');
  });

  it('reports a syntax error with its position and no schema issues', () => {
    const bad = '{\n  "a": 1,\n}';
    const result = checkJson(bad, invoice);
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.kind).toBe('syntax');
    expect(result.problems[0]?.from).toBeGreaterThan(8);
  });

  it('underlines the offending value, or the member name for a missing property', () => {
    const result = checkJson(text, {
      properties: { object: { required: ['currency'], properties: { id: { type: 'string' } } } },
    });
    expect(result.ok).toBe(true);
    const [missing, wrong] = result.problems;
    expect(missing?.message).toBe("object: must have required property 'currency'");
    expect(text.slice(missing?.from, missing?.to)).toBe('"object"');
    expect(wrong?.message).toBe('object.id: must be string');
    expect(text.slice(wrong?.from, wrong?.to)).toBe('7');
  });
});
