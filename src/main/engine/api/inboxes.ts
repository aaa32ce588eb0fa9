// Contract handlers of the built-in receiver's inboxes. Inputs arrive parsed (transports/dispatch.ts). Storage is the
// inbox service's ports (SQLite or PostgreSQL): reads from its store, writes through the service (which keeps the
// receiver's map of inboxes), every storage answer awaited.
import {
  EndpointCreateInput,
  type ForwardResult,
  type Handlers,
  HookbenchError,
  type InboxRequest,
  notFound,
  ResponseScript,
} from '../../../shared';
import { VERSION } from '../../../shared/version';
import { guardStorage } from '../db/util';
import { toHar } from '../receiver/har';
import type { InboxService } from '../receiver/inbox-service';
import { reachesReceiver } from '../receiver/self-address';
import type { HandlerContext } from './handler-context';

type InboxHandlers = Pick<
  Handlers,
  | 'inboxes.list'
  | 'inboxes.create'
  | 'inboxes.get'
  | 'inboxes.update'
  | 'inboxes.delete'
  | 'inboxes.requests'
  | 'inboxes.clear'
  | 'inboxes.forward'
  | 'inboxes.export'
>;

export function inboxHandlers(ctx: HandlerContext, inboxes: InboxService): InboxHandlers {
  const { store } = inboxes;
  /** A captured request with its latest forward's result (kept in memory while the engine runs), if any. */
  const withForward = (r: InboxRequest): InboxRequest => {
    const forward = inboxes.forwardOf(r.id);
    return forward ? { ...r, forward } : r;
  };

  const notSent = (url: string, error: string): ForwardResult => ({
    url,
    status: null,
    headers: {},
    body: '',
    truncated: false,
    durationMs: 0,
    error,
    forwardedAt: new Date(ctx.clock.now()).toISOString(),
  });

  const mustGet = async (id: string) => {
    const inbox = await store.get(id);
    if (!inbox) throw notFound('Inbox', id);
    return inbox;
  };
  /** throws not_found for an unknown endpoint, so the foreign key never fails with an opaque storage error */
  const checkEndpoint = async (id: string | null) => {
    if (id) await inboxes.checkEndpoint(id);
  };

  return {
    'inboxes.list': async () => ({ data: (await store.list()).map(inboxes.withUrl), nextCursor: null }),

    'inboxes.create': async (input) => {
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
      await checkEndpoint(input.endpointId);
      const create = input.createEndpoint;
      // inbox and endpoint together or neither (the service's createLinked: one transaction on SQLite)
      const made = await guardStorage(() =>
        inboxes.createLinked({
          settings: { name: input.name, endpointId: input.endpointId, script: input.script },
          createdAt: ctx.clock.now(),
          endpointFor: create
            ? (id) =>
                EndpointCreateInput.parse({
                  url: `${base}/in/${id}`,
                  // the inbox's own name when it has one ("My inbox", not "Inbox My inbox")
                  description: input.name || `Inbox ${id.slice(0, 8)}`,
                  eventTypes: create.eventTypes,
                  scheme: create.scheme,
                  retry: create.retry,
                  autoDisableThreshold: create.autoDisableThreshold,
                })
            : null,
        }),
      );
      const inbox = inboxes.withUrl(await mustGet(made.id));
      if (made.endpointSecret && inbox.endpointId) ctx.emit('endpoint.updated', { id: inbox.endpointId });
      return { ...inbox, endpointSecret: made.endpointSecret };
    },

    'inboxes.get': async ({ id }) => inboxes.withUrl(await mustGet(id)),

    'inboxes.update': async (input) => {
      const current = await mustGet(input.id);
      const base = inboxes.baseUrl();
      if (input.forwardUrl && base && reachesReceiver(input.forwardUrl, base)) {
        throw new HookbenchError(
          'invalid_input',
          `forwardUrl ${input.forwardUrl} is this Hookbench's inbox receiver (${base}): each forwarded request would be captured and forwarded again without end; forward to your own server`,
          [{ path: ['forwardUrl'], message: "is this Hookbench's inbox receiver", code: 'custom' }],
        );
      }
      const endpointId = input.endpointId === undefined ? current.endpointId : input.endpointId;
      if (endpointId !== current.endpointId) await checkEndpoint(endpointId);
      // Re-parsed as a whole so the merged script is valid; fields not given keep their current values.
      const script = ResponseScript.parse({ ...current.script, ...input.script });
      await guardStorage(() => inboxes.update(input.id, { name: input.name ?? current.name, endpointId, script }));
      // Linking (or changing) the endpoint re-judges what was captured before; unlinking keeps the old verdicts.
      if (endpointId && endpointId !== current.endpointId) await guardStorage(() => inboxes.reverify(input.id));
      if (input.forwardUrl !== undefined) inboxes.setLiveForward(input.id, input.forwardUrl);
      // A new fail-first rule starts counting afresh, as a user editing the script expects.
      if (input.script?.failFirst !== undefined && input.script.failFirst !== current.script.failFirst) {
        inboxes.resetCounters(input.id);
      }
      return inboxes.withUrl(await mustGet(input.id));
    },

    'inboxes.delete': async ({ id }) => {
      if (!(await inboxes.delete(id))) throw notFound('Inbox', id);
      inboxes.resetCounters(id);
      inboxes.setLiveForward(id, null);
      return { id, deleted: true as const };
    },

    'inboxes.requests': async ({ id, cursor, limit, q }) => {
      await mustGet(id);
      const page = await store.requests(id, limit, cursor, q);
      return { ...page, data: page.data.map(withForward) };
    },

    'inboxes.clear': async ({ id }) => {
      await mustGet(id);
      await store.clear(id);
      inboxes.resetCounters(id);
      return { ok: true as const };
    },

    'inboxes.forward': async ({ id, url, requestIds }) => {
      await mustGet(id);
      // All ids are checked first, so a typo forwards nothing rather than half of the selection.
      for (const requestId of requestIds) {
        if (!(await store.request(id, requestId))) throw notFound('Inbox request', requestId);
      }
      const results: Array<{ requestId: string; forward: ForwardResult }> = [];
      // One after the other, in the order given: a local server sees them as they arrived. Once one gets no
      // answer (refused, timed out) the rest are not sent: 200 requests x a 10 s timeout would hold the call
      // for half an hour against a server that is down.
      let down: string | null = null;
      for (const requestId of requestIds) {
        if (down) {
          results.push({ requestId, forward: notSent(url, `not sent: an earlier request got no answer (${down})`) });
          continue;
        }
        const forward = await inboxes.forward(id, requestId, url);
        if (!forward) continue;
        results.push({ requestId, forward });
        if (forward.status === null) down = forward.error ?? 'no answer';
      }
      return { results };
    },

    'inboxes.export': async ({ id, format, limit }) => {
      const inbox = inboxes.withUrl(await mustGet(id));
      // with what each was last forwarded to and answered, as the list shows it
      const requests = (await store.requests(id, limit)).data.map(withForward);
      if (format === 'har') return toHar(requests, inbox.url, VERSION);
      return { inbox, exportedAt: new Date(ctx.clock.now()).toISOString(), requests };
    },
  };
}
