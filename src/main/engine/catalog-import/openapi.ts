// OpenAPI 3.1 `webhooks` → event types: the key is the name, the request body's JSON schema is the schema.
import { EventTypeName } from '../../../shared';
import { exampleFromSchema, findRef, toPlainJsonSchema } from './json-schema';
import { resolveSections } from './resolve-refs';
import { type CatalogEntry, catalogDescription, type Doc, isObject, type SkippedEntry } from './types';

const METHODS = ['post', 'put', 'patch', 'get', 'delete', 'head', 'options', 'trace'];

export const refReason = (ref: string) =>
  ref.startsWith('#')
    ? `its schema is recursive (a $ref cycle through ${ref}), which one self-contained schema cannot express`
    : `it refers outside the document (${ref}); only $refs inside the document are resolved`;

/** The JSON media type of a request body: application/json, else any +json type. */
function jsonMedia(content: unknown): Doc | null {
  if (!isObject(content)) return null;
  const key =
    'application/json' in content ? 'application/json' : Object.keys(content).find((k) => /[/+]json\b/.test(k));
  const media = key ? content[key] : null;
  return isObject(media) ? media : null;
}

function mediaExample(media: Doc): unknown {
  if ('example' in media) return media.example;
  if (isObject(media.examples)) {
    const first = Object.values(media.examples).find((e) => isObject(e) && 'value' in e) as Doc | undefined;
    if (first) return first.value;
  }
  return undefined;
}

export async function fromOpenApi(doc: Doc): Promise<{ entries: CatalogEntry[]; skipped: SkippedEntry[] }> {
  const entries: CatalogEntry[] = [];
  const skipped: SkippedEntry[] = [];
  const resolved = await resolveSections(doc, ['webhooks', 'components']);
  const webhooks = isObject(resolved.webhooks) ? resolved.webhooks : {};
  for (const [name, item] of Object.entries(webhooks)) {
    if (!EventTypeName.safeParse(name).success) {
      skipped.push({ name, reason: 'not a valid event type name (letters, digits and _ . : / - only)' });
      continue;
    }
    const method = isObject(item) ? METHODS.find((m) => isObject(item[m])) : undefined;
    if (!isObject(item) || !method) {
      const ref = findRef(item);
      skipped.push({ name, reason: ref ? refReason(ref) : 'no operation in its path item' });
      continue;
    }
    const operation = item[method] as Doc;
    const media = jsonMedia(isObject(operation.requestBody) ? operation.requestBody.content : null);
    const schema = media?.schema;
    if (!media || !isObject(schema)) {
      const ref = findRef(operation.requestBody);
      skipped.push({ name, reason: ref ? refReason(ref) : 'no application/json request body schema' });
      continue;
    }
    const ref = findRef(schema);
    if (ref) {
      skipped.push({ name, reason: refReason(ref) });
      continue;
    }
    entries.push({
      name,
      description: catalogDescription(operation.summary, operation.description, item.summary, item.description),
      schema: toPlainJsonSchema(schema),
      example: mediaExample(media) ?? exampleFromSchema(schema),
    });
  }
  return { entries, skipped };
}
