// A JSON Schema (draft 2020-12) validator that interprets the schema instead of compiling it. Ajv compiles
// schemas with `new Function`, which the renderer's Content-Security-Policy (`script-src 'self'`) forbids;
// this covers the assertion vocabulary event types use and is checked against Ajv in the tests.
// Not covered (ignored, never a false error): remote $ref, $dynamicRef, unevaluatedProperties/Items.

export interface SchemaIssue {
  /** JSON Pointer of the offending value, '' for the root */
  path: string;
  keyword: string;
  message: string;
  /** for required, dependentRequired, additionalProperties, propertyNames: the property concerned */
  property?: string;
}

type Schema = boolean | { [key: string]: unknown };
type Obj = { [key: string]: unknown };

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const escapePointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
const MAX_DEPTH = 256;

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'null':
      return v === null;
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isObject(v);
    default:
      return true;
  }
}

const formats: Record<string, (s: string) => boolean> = {
  'date-time': (s) =>
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  time: (s) => /^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/.test(s),
  email: (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s),
  uri: (s) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(s),
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  ipv4: (s) => /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s),
  hostname: (s) =>
    s.length <= 253 &&
    /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(s),
};

const regexCache = new Map<string, RegExp | null>();
function regex(pattern: string): RegExp | null {
  if (!regexCache.has(pattern)) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null; // an invalid pattern is the schema's problem, not the data's
    }
    regexCache.set(pattern, re);
  }
  return regexCache.get(pattern) ?? null;
}

function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined; // $anchor names are not supported
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return typeof node === 'boolean' || isObject(node) ? node : undefined;
}

class Validator {
  constructor(
    private readonly root: Schema,
    private readonly limit: number,
  ) {}

  /** Appends the issues of `data` against `schema` to `out`; returns true when valid. */
  run(schema: Schema, data: unknown, path: string, out: SchemaIssue[], depth = 0): boolean {
    if (schema === true) return true;
    if (schema === false) return this.fail(out, path, 'false schema', 'boolean schema is false');
    if (!isObject(schema) || depth > MAX_DEPTH || out.length >= this.limit) return true;
    const before = out.length;
    const s = schema;
    const sub = (child: unknown, value: unknown, at: string) =>
      typeof child === 'boolean' || isObject(child) ? this.run(child, value, at, out, depth + 1) : true;
    const quiet = (child: unknown, value: unknown) =>
      typeof child === 'boolean' || isObject(child) ? this.run(child, value, path, [], depth + 1) : true;

    if (typeof s.$ref === 'string') {
      const target = resolveRef(this.root, s.$ref);
      if (target !== undefined) sub(target, data, path);
    }
    if (s.type !== undefined) {
      const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is string => typeof t === 'string');
      if (!types.some((t) => typeMatches(t, data))) this.fail(out, path, 'type', `must be ${types.join(',')}`);
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => jsonEqual(e, data)))
      this.fail(out, path, 'enum', 'must be equal to one of the allowed values');
    if ('const' in s && !jsonEqual(s.const, data)) this.fail(out, path, 'const', 'must be equal to constant');

    if (typeof data === 'number') this.numeric(s, data, path, out);
    if (typeof data === 'string') this.text(s, data, path, out);
    if (Array.isArray(data)) this.array(s, data, path, out, sub, quiet);
    if (isObject(data)) this.object(s, data, path, out, sub, quiet);

    if (Array.isArray(s.allOf)) for (const branch of s.allOf) sub(branch, data, path);
    if (Array.isArray(s.anyOf) && !s.anyOf.some((b) => quiet(b, data)))
      this.fail(out, path, 'anyOf', 'must match a schema in anyOf');
    if (Array.isArray(s.oneOf) && s.oneOf.filter((b) => quiet(b, data)).length !== 1)
      this.fail(out, path, 'oneOf', 'must match exactly one schema in oneOf');
    if (s.not !== undefined && quiet(s.not, data)) this.fail(out, path, 'not', 'must NOT be valid');
    if (s.if !== undefined) {
      if (quiet(s.if, data)) {
        if (s.then !== undefined) sub(s.then, data, path);
      } else if (s.else !== undefined) sub(s.else, data, path);
    }
    return out.length === before;
  }

  private fail(out: SchemaIssue[], path: string, keyword: string, message: string, property?: string): false {
    if (out.length < this.limit)
      out.push(property === undefined ? { path, keyword, message } : { path, keyword, message, property });
    return false;
  }

  private numeric(s: Obj, n: number, path: string, out: SchemaIssue[]): void {
    if (typeof s.minimum === 'number' && n < s.minimum) this.fail(out, path, 'minimum', `must be >= ${s.minimum}`);
    if (typeof s.maximum === 'number' && n > s.maximum) this.fail(out, path, 'maximum', `must be <= ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && n <= s.exclusiveMinimum)
      this.fail(out, path, 'exclusiveMinimum', `must be > ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && n >= s.exclusiveMaximum)
      this.fail(out, path, 'exclusiveMaximum', `must be < ${s.exclusiveMaximum}`);
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
      const q = n / s.multipleOf;
      // floating point: 0.3 / 0.1 is 2.9999999999999996
      if (Math.abs(q - Math.round(q)) > 1e-9) this.fail(out, path, 'multipleOf', `must be multiple of ${s.multipleOf}`);
    }
  }

  private text(s: Obj, v: string, path: string, out: SchemaIssue[]): void {
    const length = [...v].length; // code points, as JSON Schema counts them
    if (typeof s.minLength === 'number' && length < s.minLength)
      this.fail(out, path, 'minLength', `must NOT have fewer than ${s.minLength} characters`);
    if (typeof s.maxLength === 'number' && length > s.maxLength)
      this.fail(out, path, 'maxLength', `must NOT have more than ${s.maxLength} characters`);
    const re = typeof s.pattern === 'string' ? regex(s.pattern) : null;
    if (re && !re.test(v)) this.fail(out, path, 'pattern', `must match pattern "${s.pattern as string}"`);
    const check = typeof s.format === 'string' ? formats[s.format] : undefined;
    if (check && !check(v)) this.fail(out, path, 'format', `must match format "${s.format as string}"`);
  }

  private array(
    s: Obj,
    a: unknown[],
    path: string,
    out: SchemaIssue[],
    sub: (c: unknown, v: unknown, at: string) => boolean,
    quiet: (c: unknown, v: unknown) => boolean,
  ): void {
    if (typeof s.minItems === 'number' && a.length < s.minItems)
      this.fail(out, path, 'minItems', `must NOT have fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && a.length > s.maxItems)
      this.fail(out, path, 'maxItems', `must NOT have more than ${s.maxItems} items`);
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
    prefix.forEach((p, i) => {
      if (i < a.length) sub(p, a[i], `${path}/${i}`);
    });
    if (s.items === false && a.length > prefix.length)
      this.fail(out, path, 'items', `must NOT have more than ${prefix.length} items`);
    else if (s.items !== undefined) for (let i = prefix.length; i < a.length; i++) sub(s.items, a[i], `${path}/${i}`);
    if (s.contains !== undefined) {
      const matches = a.filter((x) => quiet(s.contains, x)).length;
      const min = typeof s.minContains === 'number' ? s.minContains : 1;
      if (matches < min) this.fail(out, path, 'contains', `must contain at least ${min} valid item(s)`);
      if (typeof s.maxContains === 'number' && matches > s.maxContains)
        this.fail(out, path, 'contains', `must contain at most ${s.maxContains} valid item(s)`);
    }
    if (s.uniqueItems === true) {
      for (let j = 1; j < a.length; j++)
        for (let i = 0; i < j; i++)
          if (jsonEqual(a[i], a[j])) {
            this.fail(out, path, 'uniqueItems', `must NOT have duplicate items (items ## ${i} and ${j} are identical)`);
            return;
          }
    }
  }

  private object(
    s: Obj,
    o: Obj,
    path: string,
    out: SchemaIssue[],
    sub: (c: unknown, v: unknown, at: string) => boolean,
    quiet: (c: unknown, v: unknown) => boolean,
  ): void {
    const keys = Object.keys(o);
    if (Array.isArray(s.required))
      for (const name of s.required)
        if (typeof name === 'string' && !Object.hasOwn(o, name))
          this.fail(out, path, 'required', `must have required property '${name}'`, name);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties)
      this.fail(out, path, 'minProperties', `must NOT have fewer than ${s.minProperties} properties`);
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties)
      this.fail(out, path, 'maxProperties', `must NOT have more than ${s.maxProperties} properties`);
    if (isObject(s.dependentRequired))
      for (const [key, needs] of Object.entries(s.dependentRequired))
        if (Object.hasOwn(o, key) && Array.isArray(needs))
          for (const need of needs)
            if (typeof need === 'string' && !Object.hasOwn(o, need))
              this.fail(
                out,
                path,
                'dependentRequired',
                `must have property ${need} when property ${key} is present`,
                need,
              );
    if (isObject(s.dependentSchemas))
      for (const [key, dep] of Object.entries(s.dependentSchemas)) if (Object.hasOwn(o, key)) sub(dep, o, path);

    const props = isObject(s.properties) ? s.properties : {};
    const patterns = isObject(s.patternProperties) ? Object.entries(s.patternProperties) : [];
    for (const key of keys) {
      const at = `${path}/${escapePointer(key)}`;
      let known = false;
      if (Object.hasOwn(props, key)) {
        known = true;
        sub(props[key], o[key], at);
      }
      for (const [pattern, ps] of patterns) {
        if (regex(pattern)?.test(key)) {
          known = true;
          sub(ps, o[key], at);
        }
      }
      if (!known && s.additionalProperties === false)
        this.fail(out, path, 'additionalProperties', 'must NOT have additional properties', key);
      else if (!known && s.additionalProperties !== undefined) sub(s.additionalProperties, o[key], at);
      if (s.propertyNames !== undefined && !quiet(s.propertyNames, key))
        this.fail(out, path, 'propertyNames', `property name '${key}' is invalid`, key);
    }
  }
}

/** Every issue of `data` against `schema` (at most `limit`), Ajv-style messages and JSON Pointer paths. */
export function validateJson(schema: Schema, data: unknown, limit = 100): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  new Validator(schema, limit).run(schema, data, '', out);
  return out;
}
