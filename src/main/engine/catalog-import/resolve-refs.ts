// $ref resolution with @apidevtools/json-schema-ref-parser, never by hand. Only references inside the document
// are followed: a document sent to the API must not make Hookbench read files or fetch URLs.
import { $RefParser } from '@apidevtools/json-schema-ref-parser';
import { HookbenchError } from '../../../shared';
import type { Doc } from './types';

/**
 * `target` with every internal $ref replaced by what it points to in `doc` (its components, channels, ...).
 * A cycle is left as a $ref (`circular: 'ignore'`), as is a reference outside the document; callers check.
 */
export async function resolveWithin(doc: Doc, target: unknown, where: string): Promise<unknown> {
  // A copy of the document with the target at a key of its own, so its refs resolve against the document's
  // components while a cycle elsewhere in the document does not concern this entry.
  const wrapper = structuredClone({ ...doc, 'x-hookbench-target': target });
  try {
    const resolved = await new $RefParser().dereference(wrapper as never, {
      resolve: { external: false },
      dereference: { circular: 'ignore' },
    });
    return (resolved as unknown as Doc)['x-hookbench-target'];
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new HookbenchError('invalid_input', `${where}: ${why}`, [{ path: ['source'], message: why }]);
  }
}
