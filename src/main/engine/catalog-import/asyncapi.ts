// AsyncAPI 3 `operations` whose action is `send` → event types, one per message: the message's `name` (else the
// operation's key) is the event type, its payload schema the schema.
import { EventTypeName } from '../../../shared';
import { exampleFromSchema, findRef, toPlainJsonSchema } from './json-schema';
import { refReason } from './openapi';
import { resolveSections } from './resolve-refs';
import { type CatalogEntry, catalogDescription, type Doc, isObject, type SkippedEntry } from './types';

/** A Multi Format Schema object's payload, when it is JSON Schema (or AsyncAPI's superset of it). */
function payloadSchema(payload: unknown): Doc | string {
  if (!isObject(payload)) return 'its message has no payload schema';
  if (typeof payload.schemaFormat === 'string' && 'schema' in payload) {
    if (!/json|asyncapi/i.test(payload.schemaFormat)) return `its payload is ${payload.schemaFormat}, not JSON Schema`;
    return isObject(payload.schema) ? payload.schema : 'its message has no payload schema';
  }
  return payload;
}

export async function fromAsyncApi(doc: Doc): Promise<{ entries: CatalogEntry[]; skipped: SkippedEntry[] }> {
  const entries: CatalogEntry[] = [];
  const skipped: SkippedEntry[] = [];
  const resolved = await resolveSections(doc, ['operations', 'channels', 'components']);
  const operations = isObject(resolved.operations) ? resolved.operations : {};
  for (const [key, op] of Object.entries(operations)) {
    if (!isObject(op)) {
      skipped.push({ name: key, reason: 'not an operation object' });
      continue;
    }
    if (op.action !== 'send') {
      skipped.push({ name: key, reason: `action ${String(op.action)}: only send operations are events the app sends` });
      continue;
    }
    const channelMessages =
      isObject(op.channel) && isObject(op.channel.messages) ? Object.values(op.channel.messages) : [];
    // An operation without `messages` sends every message of its channel.
    const messages = Array.isArray(op.messages) && op.messages.length > 0 ? op.messages : channelMessages;
    if (messages.length === 0) {
      skipped.push({ name: key, reason: 'no messages' });
      continue;
    }
    messages.forEach((message, i) => {
      const m = isObject(message) ? message : {};
      const name = typeof m.name === 'string' ? m.name : messages.length === 1 ? key : `${key}.${i + 1}`;
      if (!EventTypeName.safeParse(name).success) {
        skipped.push({ name, reason: 'not a valid event type name (letters, digits and _ . : / - only)' });
        return;
      }
      const schema = payloadSchema(m.payload);
      if (typeof schema === 'string') {
        const ref = findRef(m);
        skipped.push({ name, reason: ref ? refReason(ref) : schema });
        return;
      }
      const ref = findRef(schema);
      if (ref) {
        skipped.push({ name, reason: refReason(ref) });
        return;
      }
      const example = Array.isArray(m.examples)
        ? (m.examples.find((e) => isObject(e) && 'payload' in e) as Doc | undefined)
        : undefined;
      entries.push({
        name,
        description: catalogDescription(m.summary, m.description, m.title, op.summary, op.description),
        schema: toPlainJsonSchema(schema),
        example: example ? example.payload : exampleFromSchema(schema),
      });
    });
  }
  return { entries, skipped };
}
