import { HttpUrl, type Inbox } from '@shared';
import { useState } from 'react';
import { toast } from '../../components';
import { useRouteMutation } from '../../lib/query';

const STORE_KEY = 'hookbench.inbox.forwardUrl';
export const DEFAULT_FORWARD_URL = 'http://localhost:3000/webhooks';

/** The last forward URL typed, shared by every inbox (it is the user's local server, not the inbox's). */
export function useForwardUrl(inbox: Inbox): [string, (url: string) => void] {
  const [url, setUrl] = useState(() => inbox.forwardUrl ?? localStorage.getItem(STORE_KEY) ?? DEFAULT_FORWARD_URL);
  return [
    url,
    (next) => {
      setUrl(next);
      localStorage.setItem(STORE_KEY, next);
    },
  ];
}

export const validForwardUrl = (url: string) => HttpUrl.safeParse(url.trim()).success;

/** Forward one or more captured requests now; the answers appear in the list and the detail. */
export function useForward() {
  return useRouteMutation('inboxes.forward', {
    invalidates: ['inboxes.requests'],
    onSuccess: ({ results }) => {
      const failed = results.filter((r) => r.forward.status === null);
      if (failed.length > 0) toast(`Forward failed: ${failed[0]?.forward.error ?? 'no answer'}`, 'error');
      else {
        const codes = [...new Set(results.map((r) => r.forward.status))].join(', ');
        toast(`Forwarded ${results.length} request${results.length === 1 ? '' : 's'}: local server answered ${codes}`);
      }
    },
    onError: (err) => toast(err.message, 'error'),
  });
}

export interface ForwardBarProps {
  inbox: Inbox;
  url: string;
  onUrl: (url: string) => void;
  /** ids ticked in the list, oldest first */
  selectedIds: string[];
  forward: ReturnType<typeof useForward>;
}

/** "Forward to <url>": the ticked requests now, or every new request live as it arrives. */
export function ForwardBar({ inbox, url, onUrl, selectedIds, forward }: ForwardBarProps) {
  const valid = validForwardUrl(url);
  const live = inbox.forwardUrl !== null;
  // What the user asked for, shown at once while the change is on its way (the inbox list refetches after it).
  const [wantLive, setWantLive] = useState<boolean | null>(null);
  const setLive = useRouteMutation('inboxes.update', {
    invalidates: ['inboxes.list', 'inboxes.get'],
    onSettled: () => setWantLive(null),
    onSuccess: (next) =>
      toast(next.forwardUrl ? `Forwarding new requests to ${next.forwardUrl}` : 'Live forwarding stopped', 'success'),
    onError: (err) => toast(err.message, 'error'),
  });
  return (
    <fieldset className="forward-bar" aria-label="Forward to a local server">
      <label htmlFor="forward-url" className="label">
        Forward to
      </label>
      <input
        id="forward-url"
        className="input mono"
        value={url}
        placeholder={DEFAULT_FORWARD_URL}
        disabled={live}
        aria-invalid={valid ? undefined : true}
        onChange={(e) => onUrl(e.target.value)}
      />
      <button
        type="button"
        className="btn btn-sm"
        disabled={!valid || selectedIds.length === 0 || forward.isPending}
        onClick={() => forward.mutate({ id: inbox.id, url: url.trim(), requestIds: selectedIds })}
      >
        {forward.isPending ? 'Forwarding…' : `Forward selected (${selectedIds.length})`}
      </button>
      <label className="forward-live">
        <input
          type="checkbox"
          checked={wantLive ?? live}
          disabled={(!valid && !live) || setLive.isPending}
          onChange={(e) => {
            setWantLive(e.target.checked);
            setLive.mutate({ id: inbox.id, forwardUrl: e.target.checked ? url.trim() : null });
          }}
        />
        Live
      </label>
    </fieldset>
  );
}
