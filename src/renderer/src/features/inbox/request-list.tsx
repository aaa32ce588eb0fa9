import type { InboxRequest } from '@shared';
import { RelativeTime } from '../../components';
import { formatSize } from './request-detail';
import { ResponseStatus, VerdictBadge } from './verdict-badge';

export interface RequestListProps {
  requests: InboxRequest[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/** Captured requests, newest first; a row is selected by click or Enter. */
export function RequestList({ requests, selectedId, onSelect }: RequestListProps) {
  return (
    <table className="table" aria-label="Captured requests">
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
              {r.method} {r.path}
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
