// $ref resolution with @apidevtools/json-schema-ref-parser, never by hand. Only references inside the document
// are followed: a document sent to the API must not make Hookbench read files or fetch URLs.
import { $RefParser } from '@apidevtools/json-schema-ref-parser';
import { HookbenchError } from '../../../shared';
import type { Doc } from './types';

/**
 * The document's `keys` sections (e.g. webhooks and components) with every internal $ref replaced by what it
 * points to, in one pass over the document (an import runs on the engine's thread, so it stays linear). A cycle
 * is left as a $ref (`circular: 'ignore'`), as is a reference outside the document; callers skip those entries.
 * Sections not imported (`paths`) are left out, so a mistake there does not block an import.
 */
export async function resolveSections(doc: Doc, keys: string[]): Promise<Doc> {
  const subset = structuredClone(Object.fromEntries(keys.filter((k) => k in doc).map((k) => [k, doc[k]])));
  try {
    const resolved = await new $RefParser().dereference(subset as never, {
      resolve: { external: false },
      dereference: { circular: 'ignore' },
    });
    return resolved as unknown as Doc;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new HookbenchError('invalid_input', `cannot resolve a $ref: ${why}`, [{ path: ['source'], message: why }]);
  }
}
