import type { InboxRequest } from '@shared';
import { RelativeTime } from '../../components';
import { summarizeRequest } from './request-summary';
import { ForwardStatus, ResponseStatus, VerdictBadge } from './verdict-badge';

export interface RequestListProps {
  requests: InboxRequest[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** ids ticked for forwarding */
  checked: ReadonlySet<string>;
  onCheck: (id: string, on: boolean) => void;
  onCheckAll: (on: boolean) => void;
}

/** `/in/<inboxId>/x?y` -> `/x?y`: every row shares the inbox prefix, so the list shows what differs. */
export const pathInInbox = (path: string) => path.replace(/^\/in\/[^/?#]+/, '') || '/';

/**
 * Captured requests, newest first; a row is selected by click, Enter, or j/k and the arrow keys once one has the
 * focus. Each row names its event type and webhook id (method and path when the request carries neither).
 */
export function RequestList({ requests, selectedId, onSelect, checked, onCheck, onCheckAll }: RequestListProps) {
  const allChecked = requests.length > 0 && requests.every((r) => checked.has(r.id));
  const move = (from: HTMLElement, delta: number) => {
    const rows = [...(from.parentElement?.querySelectorAll<HTMLElement>('tr[data-id]') ?? [])];
    const next = rows[rows.indexOf(from) + delta];
    if (!next?.dataset.id) return;
    next.focus();
    onSelect(next.dataset.id);
  };
  return (
    <table className="table inbox-requests-table" aria-label="Captured requests">
      <colgroup>
        <col className="col-check" />
        <col className="col-received" />
        <col />
        <col className="col-status" />
        <col className="col-status" />
        <col className="col-verdict" />
      </colgroup>
      <thead>
        <tr>
          <th>
            <input
              type="checkbox"
              aria-label="Select all loaded requests"
              checked={allChecked}
              onChange={(e) => onCheckAll(e.target.checked)}
            />
          </th>
          <th>Received</th>
          <th>Event</th>
          <th title="What the inbox answered">Inbox</th>
          <th title="What the local server answered when forwarded">Local</th>
          <th>Signature</th>
        </tr>
      </thead>
      <tbody>
        {requests.map((r) => {
          const { eventType, webhookId } = summarizeRequest(r);
          const path = pathInInbox(r.path);
          return (
            <tr
              key={r.id}
              data-id={r.id}
              className="selectable"
              tabIndex={0}
              aria-selected={r.id === selectedId}
              onClick={() => onSelect(r.id)}
              onKeyDown={(e) => {
                if (e.target !== e.currentTarget) return;
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect(r.id);
                } else if (e.key === 'j' || e.key === 'ArrowDown') {
                  e.preventDefault();
                  move(e.currentTarget, 1);
                } else if (e.key === 'k' || e.key === 'ArrowUp') {
                  e.preventDefault();
                  move(e.currentTarget, -1);
                }
              }}
            >
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select request ${webhookId ?? r.id}`}
                  checked={checked.has(r.id)}
                  onClick={(e) => e.stopPropagation()}
                  onChange={(e) => onCheck(r.id, e.target.checked)}
                />
              </td>
              <td>
                <RelativeTime iso={r.receivedAt} />
              </td>
              <td className="request-event" title={`${r.method} ${r.path}`}>
                <span className="request-event-type">{eventType ?? `${r.method} ${path}`}</span>
                <span className="mono muted request-event-id">
                  {webhookId ?? (eventType ? `${r.method} ${path}` : '')}
                </span>
              </td>
              <td>
                <ResponseStatus status={r.responseStatus} />
              </td>
              <td>
                <ForwardStatus forward={r.forward ?? null} />
              </td>
              <td>
                <VerdictBadge verification={r.verification} compact />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
