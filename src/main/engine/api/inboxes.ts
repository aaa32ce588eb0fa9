// Contract handlers of the built-in receiver's inboxes. Inputs arrive parsed (transports/dispatch.ts).
import { EndpointCreateInput, type Handlers, HookbenchError, notFound, ResponseScript } from '../../../shared';
import type { EngineContext } from '../context';
import { guardStorage } from '../db/util';
import type { InboxService } from '../receiver/inbox-service';

type InboxHandlers = Pick<
  Handlers,
  | 'inboxes.list'
  | 'inboxes.create'
  | 'inboxes.get'
  | 'inboxes.update'
  | 'inboxes.delete'
  | 'inboxes.requests'
  | 'inboxes.clear'
>;

export function inboxHandlers(ctx: EngineContext, inboxes: InboxService): InboxHandlers {
  const { store } = inboxes;

  const mustGet = (id: string) => {
    const inbox = store.get(id);
    if (!inbox) throw notFound('Inbox', id);
    return inbox;
  };
  /** throws not_found for an unknown endpoint, so the foreign key never fails with an opaque SQLite error */
  const checkEndpoint = (id: string | null) => {
    if (id) ctx.endpoints.get(id);
  };

  return {
    'inboxes.list': () => ({ data: store.list().map(inboxes.withUrl), nextCursor: null }),

    'inboxes.create': (input) => {
      if (input.createEndpoint && input.endpointId) {
        throw new HookbenchError(
          'invalid_input',
          'Give either endpointId (link an endpoint) or createEndpoint, not both',
        );
      }
      const base = inboxes.baseUrl();
      if (input.createEndpoint && !base) {
        throw new HookbenchError(
          'conflict',
          'The inbox receiver is not running, so no endpoint can point at the inbox (start the engine with its inbox)',
        );
      }
      checkEndpoint(input.endpointId);
      const create = input.createEndpoint;
      // One transaction: a failed endpoint insert leaves no orphan inbox behind.
      const made = guardStorage(
        ctx.db.transaction(() => {
          const id = store.insert({
            name: input.name,
            endpointId: input.endpointId,
            script: input.script,
            createdAt: ctx.clock.now(),
          });
          if (!create) return { id, endpointSecret: null };
          const endpoint = ctx.endpoints.create(
            EndpointCreateInput.parse({
              url: `${base}/in/${id}`,
              description: `Inbox ${input.name || id.slice(0, 8)}`,
              eventTypes: create.eventTypes,
              scheme: create.scheme,
            }),
          );
          store.update(id, { name: input.name, endpointId: endpoint.id, script: input.script });
          return { id, endpointSecret: endpoint.secret };
        }),
      );
      const inbox = inboxes.withUrl(mustGet(made.id));
      if (made.endpointSecret && inbox.endpointId) ctx.emit('endpoint.updated', { id: inbox.endpointId });
      return { ...inbox, endpointSecret: made.endpointSecret };
    },

    'inboxes.get': ({ id }) => inboxes.withUrl(mustGet(id)),

    'inboxes.update': (input) => {
      const current = mustGet(input.id);
      const endpointId = input.endpointId === undefined ? current.endpointId : input.endpointId;
      if (endpointId !== current.endpointId) checkEndpoint(endpointId);
      // Re-parsed as a whole so the merged script is valid; fields not given keep their current values.
      const script = ResponseScript.parse({ ...current.script, ...input.script });
      guardStorage(() => store.update(input.id, { name: input.name ?? current.name, endpointId, script }));
      // A new fail-first rule starts counting afresh, as a user editing the script expects.
      if (input.script?.failFirst !== undefined && input.script.failFirst !== current.script.failFirst) {
        inboxes.resetCounters(input.id);
      }
      return inboxes.withUrl(mustGet(input.id));
    },

    'inboxes.delete': ({ id }) => {
      if (!store.delete(id)) throw notFound('Inbox', id);
      inboxes.resetCounters(id);
      return { id, deleted: true as const };
    },

    'inboxes.requests': ({ id, cursor, limit, q }) => {
      mustGet(id);
      return store.requests(id, limit, cursor, q);
    },

    'inboxes.clear': ({ id }) => {
      mustGet(id);
      store.clear(id);
      inboxes.resetCounters(id);
      return { ok: true as const };
    },
  };
}
