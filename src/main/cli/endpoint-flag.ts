// `--endpoint E` (trigger, tail): an endpoint named by its id, its URL or its description, as a person would name it.
// A name that fits none, or several, is bad usage (exit 2) listing what there is.
import type { Endpoint } from '../../shared';
import { UsageError } from './flags';

/** Each --endpoint value as an endpoint id: an id, a URL or a description naming exactly one endpoint. */
export function resolveEndpoints(values: string[], endpoints: Endpoint[]): string[] {
  return values.map((v) => {
    const byId = endpoints.find((e) => e.id === v);
    if (byId) return byId.id;
    const matches = endpoints.filter((e) => e.url === v || e.description === v);
    if (matches.length === 1) return (matches[0] as Endpoint).id;
    if (matches.length > 1) {
      throw new UsageError(
        `--endpoint ${v}: names ${matches.length} endpoints; give one's id (${matches.map((e) => e.id).join(', ')})`,
      );
    }
    const known = endpoints.map((e) => (e.description ? `${e.description} (${e.id})` : e.id)).join(', ');
    throw new UsageError(
      `--endpoint ${v}: no endpoint has this id, URL or description${known ? ` (there are: ${known})` : ''}`,
    );
  });
}
