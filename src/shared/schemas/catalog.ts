import { z } from 'zod';
import { EventTypeName, FreeText, IsoDate, JsonValue } from './common';
import { SchemeName } from './endpoint';

export const EventType = z.object({
  name: EventTypeName,
  description: z.string(),
  /** JSON Schema (draft 2020-12) for `data`, or null */
  schema: z.record(z.string(), z.unknown()).nullable(),
  /** the template Compose loads */
  example: JsonValue,
  builtIn: z.boolean(),
  createdAt: IsoDate,
});
export type EventType = z.infer<typeof EventType>;

export const EventTypeCreateInput = z.strictObject({
  name: EventTypeName,
  description: FreeText(1000).default(''),
  schema: z.record(z.string(), z.unknown()).nullable().default(null),
  example: JsonValue.default({}),
});
export const EventTypeUpdateInput = z.strictObject({
  name: EventTypeName,
  description: FreeText(1000).optional(),
  schema: z.record(z.string(), z.unknown()).nullable().optional(),
  example: JsonValue.optional(),
});
export const EventTypeNameParam = z.strictObject({ name: EventTypeName });

/** Check data against an event type's schema (by name) or a schema given inline: the composer's inline problems. */
export const EventTypeValidateInput = z
  .strictObject({
    type: EventTypeName.optional(),
    schema: z.record(z.string(), z.unknown()).optional(),
    data: JsonValue,
  })
  .refine((v) => (v.type === undefined) !== (v.schema === undefined), {
    message: 'give either type or schema',
    path: ['type'],
  });
export const SchemaIssue = z.object({
  /** JSON Pointer of the offending value, '' for the root */
  instancePath: z.string(),
  message: z.string(),
  /** the JSON Schema keyword that failed (required, type, ...) */
  keyword: z.string(),
  /** additionalProperties, propertyNames: the member concerned (its name is what to underline) */
  property: z.string().optional(),
});
export type SchemaIssue = z.infer<typeof SchemaIssue>;
export const EventTypeValidateOutput = z.object({
  /** false when there was no schema to check against (the type has none, or is not in the catalog) */
  checked: z.boolean(),
  valid: z.boolean(),
  /** the schema does not compile */
  schemaError: z.string().nullable(),
  issues: z.array(SchemaIssue),
});
export type EventTypeValidateOutput = z.infer<typeof EventTypeValidateOutput>;

/** `eventTypes.import`: an OpenAPI 3.1 (`webhooks`) or AsyncAPI 3 (`send` operations) document, YAML or JSON. */
export const EventTypeImportInput = z.strictObject({
  source: z.string().min(1).max(1_000_000),
  /** answer what would change, change nothing */
  dryRun: z.boolean().default(false),
});
const ImportedEventType = z.object({ name: z.string(), description: z.string() });
export const EventTypeImportOutput = z.object({
  format: z.enum(['openapi', 'asyncapi']),
  /** the document's info.title */
  title: z.string().nullable(),
  dryRun: z.boolean(),
  created: z.array(ImportedEventType),
  updated: z.array(ImportedEventType),
  /** entries not imported, and why (unchanged, no JSON body, a recursive schema, ...) */
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type EventTypeImportOutput = z.infer<typeof EventTypeImportOutput>;

/** A provider profile: a scheme, its envelope, and realistic fixture events. */
export const Profile = z.object({
  name: z.enum(['generic', 'stripe', 'github', 'shopify']),
  scheme: SchemeName,
  description: z.string(),
  fixtures: z.array(z.object({ type: z.string(), description: z.string(), data: JsonValue })),
});
export type Profile = z.infer<typeof Profile>;

export const EngineStatus = z.object({
  running: z.boolean(),
  version: z.string(),
  startedAt: IsoDate,
  queue: z.object({
    pending: z.number().int(),
    sending: z.number().int(),
    paused: z.number().int(),
    failed: z.number().int(),
  }),
  endpoints: z.object({ total: z.number().int(), disabled: z.number().int(), failing: z.number().int() }),
  /** base URL of the built-in receiver, null when it is not running */
  inboxBaseUrl: z.string().nullable(),
});
export type EngineStatus = z.infer<typeof EngineStatus>;
