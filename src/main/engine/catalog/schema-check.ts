// Event-type schemas checked by the engine with Ajv (JSON Schema 2020-12, formats from ajv-formats): a schema must
// compile, an example must satisfy it, and events.create checks `data` against it. The renderer cannot run Ajv
// (its CSP forbids the code generation Ajv compiles to), so the composer asks the engine (eventTypes.validate):
// one validator for the API, the CLI and the UI.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { type ErrorIssue, HookbenchError } from '../../../shared';

/** An instance path (`/object/lines/0/amount`, '' for the root) and what is wrong there. */
export interface DataIssue {
  instancePath: string;
  message: string;
  keyword: string;
  /** additionalProperties, propertyNames: the member concerned */
  property?: string;
}

// ajv-formats is CommonJS with `exports.default`: through a bundler's interop it may arrive as the module object
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ??
  addFormatsPlugin) as typeof addFormatsPlugin;

function createAjv(): Ajv2020 {
  // strict: false, because real schemas carry annotations Ajv does not know (`example`, `x-*`); the meta-schema
  // still refuses what is wrong (`{"type":"notatype"}`). allErrors: the composer lists every problem at once.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: true });
  addFormats(ajv);
  return ajv;
}

const MAX_CACHED = 500;

export class SchemaCheck {
  // made on first use: an engine whose catalog is never checked (send, most tests) does not pay for Ajv's set-up
  private ajvInstance: Ajv2020 | null = null;
  private get ajv(): Ajv2020 {
    this.ajvInstance ??= createAjv();
    return this.ajvInstance;
  }
  /** compiled validators by event type name, with the schema text they were compiled from */
  private readonly byType = new Map<string, { text: string; validate: ValidateFunction }>();

  /** Compiles a schema, or throws invalid_input (400) with the compile error at `path` (default `schema`). */
  compile(schema: Record<string, unknown>, path: Array<string | number> = ['schema']): ValidateFunction {
    try {
      // $id would register the schema globally in this Ajv: a second type with the same $id would then fail
      const { $id: _ignored, ...rest } = schema;
      return this.ajv.compile(rest);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new HookbenchError('invalid_input', `The JSON Schema does not compile: ${message}`, [
        { path, message, code: 'invalid_schema' },
      ]);
    }
  }

  /** The validator for an event type's stored schema (the schema's text is its cache key, so an edit recompiles). */
  forType(name: string, schemaText: string): ValidateFunction {
    const hit = this.byType.get(name);
    if (hit && hit.text === schemaText) return hit.validate;
    const validate = this.compile(JSON.parse(schemaText) as Record<string, unknown>);
    if (this.byType.size >= MAX_CACHED) this.byType.clear();
    this.byType.set(name, { text: schemaText, validate });
    return validate;
  }

  /** Forget a type's validator (its schema changed or it was deleted). */
  forget(name: string): void {
    this.byType.delete(name);
  }

  /** The problems of `data` under `validate`, [] when it is valid. */
  static issues(validate: ValidateFunction, data: unknown): DataIssue[] {
    if (validate(data)) return [];
    return (validate.errors ?? []).map(describe);
  }
}

function describe(e: ErrorObject): DataIssue {
  const params = e.params as Record<string, unknown>;
  // name the property concerned where Ajv keeps it in params, as a reader expects (`must have required property 'id'`
  // already does; additionalProperties does not)
  const property =
    e.keyword === 'additionalProperties'
      ? String(params.additionalProperty)
      : e.keyword === 'propertyNames'
        ? String(params.propertyName)
        : undefined;
  const extra = e.keyword === 'additionalProperties' ? ` '${property}'` : '';
  return {
    instancePath: e.instancePath,
    message: `${e.message ?? 'is invalid'}${extra}`,
    keyword: e.keyword,
    ...(property === undefined ? {} : { property }),
  };
}

/** Ajv's issues as contract issues under `root` (`data`, `example`): the path split from the instance pointer. */
export function toErrorIssues(issues: DataIssue[], root: string): ErrorIssue[] {
  return issues.map((i) => ({
    path: [
      root,
      ...i.instancePath
        .split('/')
        .slice(1)
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
    ],
    message: `${i.instancePath || '/'} ${i.message}`,
    code: i.keyword,
    instancePath: i.instancePath,
  }));
}
