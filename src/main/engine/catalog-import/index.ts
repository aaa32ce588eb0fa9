// Event catalog import: an OpenAPI 3.1 document's `webhooks`, or an AsyncAPI 3 document's `send` operations,
// read into event types with self-contained JSON Schemas. Only reads; the eventTypes.import handler compares the
// plan with the catalog and writes it in one transaction.
import { isMap, parseDocument } from 'yaml';
import { HookbenchError } from '../../../shared';
import { fromAsyncApi } from './asyncapi';
import { fromOpenApi } from './openapi';
import { type CatalogPlan, isObject, type SkippedEntry } from './types';

export type { CatalogEntry, CatalogPlan } from './types';

const bad = (message: string) => new HookbenchError('invalid_input', message, [{ path: ['source'], message }]);

/**
 * JSON when it parses as JSON (yaml takes seconds on a long one-line JSON document), else YAML; anchors are
 * bounded so a hostile document cannot expand without end.
 */
function parseSource(source: string): Record<string, unknown> {
  if (/^\s*\{/.test(source)) {
    try {
      return JSON.parse(source) as Record<string, unknown>;
    } catch {
      // not JSON after all: YAML flow style also starts with {
    }
  }
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  // yaml's pretty message is "<what> at line L, column C:" followed by the source excerpt: keep the first line,
  // without the colon that introduced the excerpt
  if (first) throw bad(`the document is not valid YAML or JSON: ${first.message.split('\n')[0]?.replace(/:\s*$/, '')}`);
  if (!isMap(doc.contents)) throw bad('the document is not an OpenAPI or AsyncAPI object');
  try {
    return doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (err) {
    throw bad(`the document cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function dedupe(plan: CatalogPlan): CatalogPlan {
  const seen = new Set<string>();
  const skipped: SkippedEntry[] = [...plan.skipped];
  const entries = plan.entries.filter((e) => {
    if (seen.has(e.name)) {
      skipped.push({ name: e.name, reason: 'described twice in the document; the first one is imported' });
      return false;
    }
    seen.add(e.name);
    return true;
  });
  return { ...plan, entries, skipped };
}

export async function readCatalog(source: string): Promise<CatalogPlan> {
  const doc = parseSource(source);
  const title = isObject(doc.info) && typeof doc.info.title === 'string' ? doc.info.title : null;
  const version = (v: unknown) => (typeof v === 'string' ? v : '');
  if (version(doc.openapi)) {
    if (!version(doc.openapi).startsWith('3.1'))
      throw bad(`OpenAPI ${version(doc.openapi)} has no webhooks section; import an OpenAPI 3.1 document`);
    if (!isObject(doc.webhooks) || Object.keys(doc.webhooks).length === 0)
      throw bad('the OpenAPI document has no webhooks to import');
    return dedupe({ format: 'openapi', title, ...(await fromOpenApi(doc)) });
  }
  if (version(doc.asyncapi)) {
    if (!version(doc.asyncapi).startsWith('3.'))
      throw bad(`AsyncAPI ${version(doc.asyncapi)} is not supported; import an AsyncAPI 3 document`);
    if (!isObject(doc.operations) || Object.keys(doc.operations).length === 0)
      throw bad('the AsyncAPI document has no operations to import');
    return dedupe({ format: 'asyncapi', title, ...(await fromAsyncApi(doc)) });
  }
  throw bad('not an OpenAPI 3.1 or AsyncAPI 3 document (no openapi or asyncapi version field)');
}
