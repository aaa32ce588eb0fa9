import type { InboxRequest } from '@shared';
import { RelativeTime } from '../../components';
import { formatSize } from './request-detail';
import { ResponseStatus, VerdictBadge } from './verdict-badge';

export interface RequestListProps {
  requests: InboxRequest[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/** `/in/<inboxId>/x?y` -> `/x?y`: every row shares the inbox prefix, so the list shows what differs. */
export const pathInInbox = (path: string) => path.replace(/^\/in\/[^/?#]+/, '') || '/';

/** Captured requests, newest first; a row is selected by click or Enter. */
export function RequestList({ requests, selectedId, onSelect }: RequestListProps) {
  return (
    <table className="table inbox-requests-table" aria-label="Captured requests">
      <colgroup>
        <col style={{ width: 84 }} />
        <col />
        <col style={{ width: 68 }} />
        <col style={{ width: 72 }} />
        <col style={{ width: 168 }} />
      </colgroup>
      <thead>
        <tr>
          <th>Received</th>
          <th>Request</th>
          <th>Size</th>
          <th>Answer</th>
          <th>Signature</th>
        </tr>
      </thead>
      <tbody>
        {requests.map((r) => (
          <tr
            key={r.id}
            className="selectable"
            tabIndex={0}
            aria-selected={r.id === selectedId}
            onClick={() => onSelect(r.id)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(r.id);
              }
            }}
          >
            <td>
              <RelativeTime iso={r.receivedAt} />
            </td>
            <td className="mono path" title={r.path}>
              {r.method} {pathInInbox(r.path)}
            </td>
            <td className="muted">{formatSize(r.size)}</td>
            <td>
              <ResponseStatus status={r.responseStatus} />
            </td>
            <td>
              <VerdictBadge verification={r.verification} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
