// endpoints.*: CRUD, enable/disable, secret rotation and reveal, on either store (the parts are ports).
import type { Handlers } from '../../../shared';
import { assertHeadersAllowed, assertTargetAllowed } from '../endpoints/guard';
import type { EndpointControlPort, EndpointStatsPort } from '../store/control-ports';
import type { EndpointStorePort } from '../store/endpoint-ports';
import type { HandlerContext } from './handler-context';

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
  | 'endpoints.replayMissing'
  | 'endpoints.stats'
>;

/** What the endpoints handlers act on: SQLite's EndpointStore/EndpointControl/createEndpointStats or PostgreSQL's. */
export interface EndpointHandlerParts {
  /** the transaction type is the control's business: the handlers pass none */
  store: EndpointStorePort<unknown>;
  control: EndpointControlPort;
  stats: EndpointStatsPort;
}

export function endpointHandlers(
  ctx: HandlerContext,
  { store, control, stats }: EndpointHandlerParts,
): EndpointHandlers {
  const changed = (id: string) => ctx.emit('endpoint.updated', { id });
  return {
    'endpoints.list': async ({ enabled }) => ({ data: await store.list(enabled), nextCursor: null }),
    'endpoints.create': async (input) => {
      assertTargetAllowed(input.url, 'url', ctx.settings());
      const ep = await store.create(input);
      changed(ep.id);
      return ep;
    },
    'endpoints.get': ({ id }) => store.get(id),
    'endpoints.update': async (input) => {
      assertTargetAllowed(input.url, 'url', ctx.settings());
      // a patch's headers meet the stored scheme, or a new scheme meets the stored headers
      if (input.headers !== undefined || input.scheme !== undefined) {
        const cur = await store.get(input.id);
        assertHeadersAllowed(input.headers ?? cur.headers, input.scheme ?? cur.scheme);
      }
      const ep = await store.update(input);
      changed(ep.id);
      return ep;
    },
    'endpoints.delete': async ({ id }) => {
      await control.delete(id);
      return { id, deleted: true as const };
    },
    'endpoints.enable': ({ id }) => control.enable(id),
    'endpoints.disable': ({ id, reason }) => control.disable(id, reason),
    'endpoints.rotateSecret': async ({ id, graceSeconds, secret }) => {
      const next = await store.rotate(id, graceSeconds, secret);
      changed(id);
      return { ...(await store.get(id)), secret: next };
    },
    'endpoints.secret': ({ id }) => store.secretInfo(id),
    'endpoints.replayMissing': (input) => control.replayMissing(input),
    'endpoints.stats': async ({ window, endpointId }) => {
      if (endpointId) await store.get(endpointId); // not_found for an unknown endpoint
      return stats.query(window, ctx.clock.now(), endpointId);
    },
  };
}
