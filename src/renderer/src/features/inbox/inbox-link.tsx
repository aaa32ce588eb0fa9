import type { Endpoint, Inbox } from '@shared';
import { hrefTo } from '../../app/router';
import { toast } from '../../components';
import { useRoute, useRouteMutation } from '../../lib/query';

const endpointName = (ep: Pick<Endpoint, 'description' | 'url'>) => ep.description || ep.url;

/** Endpoints that send to this inbox's URL (made by hand, say) but are not the one it verifies with. */
export function endpointsPointingAt(inbox: Inbox, endpoints: Endpoint[]): Endpoint[] {
  return endpoints.filter(
    (ep) => ep.id !== inbox.endpointId && (ep.url === inbox.url || ep.url.startsWith(`${inbox.url}/`)),
  );
}

/**
 * Which endpoint's secret verifies this inbox's requests, in plain sight at the top of the inbox. Linking
 * re-verifies the requests already captured (the engine does it in inboxes.update). When an endpoint sends to
 * this inbox but is not linked, a banner offers to link it.
 */
export function InboxLink({ inbox }: { inbox: Inbox }) {
  const endpoints = useRoute('endpoints.list', {});
  const all = endpoints.data?.data ?? [];
  const linked = all.find((ep) => ep.id === inbox.endpointId) ?? null;
  const link = useRouteMutation('inboxes.update', {
    invalidates: ['inboxes.list', 'inboxes.get', 'inboxes.requests'],
    onSuccess: (next) =>
      toast(next.endpointId ? 'Linked: captured requests were verified again with its secret' : 'Unlinked', 'success'),
    onError: (err) => toast(err.message, 'error'),
  });
  const suggested = inbox.endpointId === null ? endpointsPointingAt(inbox, all)[0] : undefined;
  return (
    <>
      <div className="inbox-link row">
        <label htmlFor="inbox-endpoint" className="label">
          Verify with endpoint
        </label>
        <select
          id="inbox-endpoint"
          className="select"
          value={inbox.endpointId ?? ''}
          disabled={link.isPending}
          onChange={(e) => link.mutate({ id: inbox.id, endpointId: e.target.value || null })}
        >
          <option value="">None (no signature verdict)</option>
          {all.map((ep) => (
            <option key={ep.id} value={ep.id}>
              {endpointName(ep)} ({ep.scheme})
            </option>
          ))}
        </select>
        {linked ? (
          <a className="btn btn-sm" href={hrefTo(`/endpoints/${linked.id}`)}>
            Open endpoint
          </a>
        ) : null}
      </div>
      {suggested ? (
        <div className="banner banner-info" role="status">
          <span>
            Endpoint <strong>{endpointName(suggested)}</strong> sends to this inbox but is not linked, so its requests
            get no signature verdict.
          </span>
          <button
            type="button"
            className="btn btn-sm btn-primary"
            disabled={link.isPending}
            onClick={() => link.mutate({ id: inbox.id, endpointId: suggested.id })}
          >
            Link it
          </button>
        </div>
      ) : null}
    </>
  );
}
