// JSON Schema helpers for imported schemas: drop the OpenAPI-only keywords (so the stored schema is plain
// JSON Schema 2020-12 that any validator accepts), and make an example when the document has none. Both walk only
// schema positions, so a property that happens to be named `example` is kept.

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** OpenAPI's additions to JSON Schema; `example` is deprecated in 3.1 in favour of `examples`. */
const OPENAPI_KEYWORDS = ['discriminator', 'xml', 'externalDocs', 'example'];
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_VALUES = [
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'additionalItems',
];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

/**
 * A copy of `schema` without OpenAPI-only keywords and `x-` extensions, at every depth. OpenAPI 3.0's
 * `nullable: true`, still common in documents labelled 3.1, becomes JSON Schema's `type: [..., "null"]`.
 */
export function toPlainJsonSchema(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (OPENAPI_KEYWORDS.includes(key) || key.startsWith('x-')) continue;
    if (key === 'nullable') {
      if (value === true && typeof schema.type === 'string') out.type = [schema.type, 'null'];
      continue;
    }
    if (key === 'type' && schema.nullable === true && typeof value === 'string') {
      out.type = [value, 'null'];
      continue;
    }
    if (SCHEMA_MAPS.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isObject(v) ? toPlainJsonSchema(v) : v]));
    } else if (SCHEMA_VALUES.includes(key) && isObject(value)) out[key] = toPlainJsonSchema(value);
    else if (SCHEMA_LISTS.includes(key) && Array.isArray(value))
      out[key] = value.map((v) => (isObject(v) ? toPlainJsonSchema(v) : v));
    else out[key] = value;
  }
  return out;
}

/** Whether a `$ref` is left anywhere (a cycle the bundler kept, or a reference outside the document). */
export function findRef(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const v of value) {
      const r = findRef(v);
      if (r) return r;
    }
  } else if (isObject(value)) {
    if (typeof value.$ref === 'string') return value.$ref;
    for (const v of Object.values(value)) {
      const r = findRef(v);
      if (r) return r;
    }
  }
  return null;
}

const STRING_FORMATS: Record<string, string> = {
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  email: 'user@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  hostname: 'example.com',
};

/**
 * A value that fits the schema, for the template Compose loads: the schema's own example or default when it has
 * one, else the first enum value, else a typical value of its type. Deterministic, so a re-import is unchanged.
 */
export function exampleFromSchema(schema: unknown, depth = 0): unknown {
  if (!isObject(schema) || depth > 12) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('example' in schema) return schema.example;
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((s) => exampleFromSchema(s, depth + 1));
    if (parts.every(isObject)) return Object.assign({}, ...parts, objectExample(schema, depth));
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const first = (schema[key] as unknown[] | undefined)?.[0];
    if (first !== undefined) return exampleFromSchema(first, depth + 1);
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => t !== 'null') ?? (schema.properties ? 'object' : types[0]);
  switch (type) {
    case 'object':
      return objectExample(schema, depth);
    case 'array':
      return schema.items === undefined ? [] : [exampleFromSchema(schema.items, depth + 1)];
    case 'string':
      return STRING_FORMATS[String(schema.format)] ?? 'string';
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return true;
    default:
      return null;
  }
}

function objectExample(schema: Schema, depth: number): Schema {
  const out: Schema = {};
  if (isObject(schema.properties))
    for (const [k, v] of Object.entries(schema.properties)) out[k] = exampleFromSchema(v, depth + 1);
  return out;
}
