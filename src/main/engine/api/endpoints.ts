// endpoints.*: CRUD, enable/disable, secret rotation and reveal.
import type { Handlers } from '../../../shared';
import type { EngineContext } from '../context';
import { createEndpointStats } from '../db/endpoint-stats';
import { assertHeadersAllowed, assertTargetAllowed } from '../endpoints/guard';
import type { HandlerParts } from './index';

type EndpointHandlers = Pick<
  Handlers,
  | 'endpoints.list'
  | 'endpoints.create'
  | 'endpoints.get'
  | 'endpoints.update'
  | 'endpoints.delete'
  | 'endpoints.enable'
  | 'endpoints.disable'
  | 'endpoints.rotateSecret'
  | 'endpoints.secret'
  | 'endpoints.stats'
>;

export function endpointHandlers(ctx: EngineContext, { store, control }: HandlerParts): EndpointHandlers {
  const changed = (id: string) => ctx.emit('endpoint.updated', { id });
  const stats = createEndpointStats(ctx.db);
  return {
    'endpoints.list': ({ enabled }) => ({ data: store.list(enabled), nextCursor: null }),
    'endpoints.create': (input) => {
      assertTargetAllowed(input.url, 'url', ctx.settings());
      const ep = store.create(input);
      changed(ep.id);
      return ep;
    },
    'endpoints.get': ({ id }) => store.get(id),
    'endpoints.update': (input) => {
      assertTargetAllowed(input.url, 'url', ctx.settings());
      // a patch's headers meet the stored scheme, or a new scheme meets the stored headers
      if (input.headers !== undefined || input.scheme !== undefined) {
        const cur = store.get(input.id);
        assertHeadersAllowed(input.headers ?? cur.headers, input.scheme ?? cur.scheme);
      }
      const ep = store.update(input);
      changed(ep.id);
      return ep;
    },
    'endpoints.delete': ({ id }) => {
      control.delete(id);
      return { id, deleted: true as const };
    },
    'endpoints.enable': ({ id }) => control.enable(id),
    'endpoints.disable': ({ id, reason }) => control.disable(id, reason),
    'endpoints.rotateSecret': ({ id, graceSeconds, secret }) => {
      const next = store.rotate(id, graceSeconds, secret);
      changed(id);
      return { ...store.get(id), secret: next };
    },
    'endpoints.secret': ({ id }) => store.secretInfo(id),
    'endpoints.stats': ({ window, endpointId }) => {
      if (endpointId) store.get(endpointId); // not_found for an unknown endpoint
      return stats.query(window, ctx.clock.now(), endpointId);
    },
  };
}
