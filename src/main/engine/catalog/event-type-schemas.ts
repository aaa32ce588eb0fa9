// The catalog's schemas as the handlers use them: an event type's schema must compile and its example satisfy it;
// events.create checks data against its type's schema; eventTypes.validate answers the composer.
import { HookbenchError } from '../../../shared';
import type { EventTypeStorePort } from '../store/catalog-ports';
import { type DataIssue, SchemaCheck, toErrorIssues } from './schema-check';

export interface DataVerdict {
  /** false when the type has no schema (or is not in the catalog): nothing was checked */
  checked: boolean;
  valid: boolean;
  /** the schema does not compile (only for a schema given inline, or a stored one from before this check) */
  schemaError: string | null;
  issues: DataIssue[];
}

export class EventTypeSchemas {
  private readonly check = new SchemaCheck();

  /** the store answers schemaOf synchronously (PostgreSQL's from memory), so events.create never waits on it */
  constructor(private readonly types: Pick<EventTypeStorePort, 'schemaOf'>) {}

  /** A type's schema and example as they will be stored: 400 when the schema does not compile or the example breaks it. */
  assertConsistent(schema: Record<string, unknown> | null, example: unknown): void {
    if (schema === null) return;
    const validate = this.check.compile(schema);
    const issues = SchemaCheck.issues(validate, example);
    if (issues.length > 0) {
      const errorIssues = toErrorIssues(issues, 'example');
      throw new HookbenchError(
        'invalid_input',
        `The example does not match the schema: ${errorIssues[0]?.message}`,
        errorIssues,
      );
    }
  }

  /** The type's schema changed or the type is gone. */
  changed(name: string): void {
    this.check.forget(name);
  }

  /** Checks an event's data against its type's stored schema. */
  verdictForType(type: string, data: unknown): DataVerdict {
    const text = this.types.schemaOf(type);
    if (text === null) return { checked: false, valid: true, schemaError: null, issues: [] };
    let validate: ReturnType<SchemaCheck['forType']>;
    try {
      validate = this.check.forType(type, text);
    } catch (err) {
      return { checked: false, valid: true, schemaError: err instanceof Error ? err.message : String(err), issues: [] };
    }
    const issues = SchemaCheck.issues(validate, data);
    return { checked: true, valid: issues.length === 0, schemaError: null, issues };
  }

  /** Checks data against a schema given inline (the composer's "add event type" form). */
  verdictForSchema(schema: Record<string, unknown>, data: unknown): DataVerdict {
    let validate: ReturnType<SchemaCheck['compile']>;
    try {
      validate = this.check.compile(schema);
    } catch (err) {
      return {
        checked: false,
        valid: false,
        schemaError: err instanceof Error ? err.message : String(err),
        issues: [],
      };
    }
    const issues = SchemaCheck.issues(validate, data);
    return { checked: true, valid: issues.length === 0, schemaError: null, issues };
  }

  /** events.create: 422 schema_violation with every issue unless the data satisfies its type's schema. */
  assertEventData(type: string, data: unknown): void {
    const verdict = this.verdictForType(type, data);
    if (verdict.schemaError !== null) {
      throw new HookbenchError(
        'unprocessable',
        `The ${type} event type's schema does not compile (${verdict.schemaError}): fix it, or send with "validate": false`,
      );
    }
    if (verdict.valid) return;
    const issues = toErrorIssues(verdict.issues, 'data');
    throw new HookbenchError(
      'schema_violation',
      `data does not match the ${type} schema: ${issues[0]?.message} (send with "validate": false to send it anyway)`,
      issues,
    );
  }
}
