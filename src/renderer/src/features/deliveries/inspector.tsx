// The delivery inspector: Request, Response and Attempts of one delivery, for any of its attempts, with
// Retry now, Copy as curl, Copy payload and Cancel. Esc closes it.
import type { DeliveryDetail, Endpoint } from '@shared';
import { useEffect, useId, useState } from 'react';
import { useShortcut } from '../../app/shortcuts';
import { CopyButton, ErrorText, RelativeTime, StatusBadge, toast } from '../../components';
import { useRoute, useRouteMutation } from '../../lib/query';
import { buildCurl } from '../compose/curl';
import { AttemptsTimeline } from './attempts-timeline';
import { AttemptOutcome, RequestView, ResponseView } from './http-parts';

type Tab = 'request' | 'response' | 'attempts';
const TABS: Array<{ id: Tab; label: string }> = [
  { id: 'request', label: 'Request' },
  { id: 'response', label: 'Response' },
  { id: 'attempts', label: 'Attempts' },
];

export interface InspectorProps {
  id: string;
  /** the endpoint of a delivery, from the already loaded list */
  endpointOf: (endpointId: string) => Endpoint | undefined;
  onClose: () => void;
}

export function Inspector({ id, endpointOf, onClose }: InspectorProps) {
  const query = useRoute('deliveries.get', { id });
  const [tab, setTab] = useState<Tab>('request');
  /** null follows the latest attempt as new ones arrive */
  const [pinned, setPinned] = useState<number | null>(null);
  const baseId = useId();
  // biome-ignore lint/correctness/useExhaustiveDependencies: another delivery starts from its latest attempt
  useEffect(() => setPinned(null), [id]);
  useShortcut(
    'escape',
    () => {
      onClose();
      return true;
    },
    { description: 'Close the inspector' },
  );

  const retry = useRouteMutation('deliveries.retry', {
    invalidates: ['deliveries.get', 'deliveries.list', 'system.status'],
    onSuccess: () => toast('Retry queued', 'success'),
  });
  const cancel = useRouteMutation('deliveries.cancel', {
    invalidates: ['deliveries.get', 'deliveries.list', 'system.status'],
    onSuccess: () => toast('Delivery cancelled', 'info'),
  });

  const d: DeliveryDetail | undefined = query.data;
  const endpoint = d ? endpointOf(d.endpointId) : undefined;
  const latest = d?.attempts[d.attempts.length - 1];
  const attempt = (pinned !== null ? d?.attempts.find((a) => a.number === pinned) : undefined) ?? latest;
  const payload = () => attempt?.request.body ?? JSON.stringify(d?.payload, null, 2);

  return (
    <aside className="panel inspector" aria-label="Delivery inspector">
      <div className="inspector-head">
        <div className="row">
          {d ? <StatusBadge status={d.status} /> : null}
          <h2 className="mono inspector-title">{d?.eventType ?? 'Delivery'}</h2>
          <span className="spacer" />
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            aria-label="Close inspector"
            onClick={onClose}
            title="Close (Esc)"
          >
            ✕
          </button>
        </div>
        <dl className="kv inspector-meta">
          <dt>Delivery</dt>
          <dd>{id}</dd>
          {d ? (
            <>
              <dt>Event</dt>
              <dd>{d.eventId}</dd>
              <dt>Endpoint</dt>
              <dd>{endpoint ? endpoint.url : d.endpointId}</dd>
              <dt>Created</dt>
              <dd>
                <RelativeTime iso={d.createdAt} />
              </dd>
            </>
          ) : null}
        </dl>
        {d ? (
          <div className="row inspector-actions">
            <button
              type="button"
              className="btn btn-sm btn-primary"
              disabled={retry.isPending}
              onClick={() => retry.mutate({ id })}
            >
              {retry.isPending ? 'Retrying…' : 'Retry now'}
            </button>
            {attempt ? <CopyButton text={() => buildCurl(attempt.request)} label="Copy as curl" /> : null}
            <CopyButton text={payload} label="Copy payload" />
            {d.status === 'pending' || d.status === 'paused' ? (
              <button
                type="button"
                className="btn btn-sm btn-danger"
                disabled={cancel.isPending}
                onClick={() => cancel.mutate({ id })}
              >
                Cancel
              </button>
            ) : null}
          </div>
        ) : null}
        <ErrorText error={retry.error ?? cancel.error} />
      </div>

      {query.isPending ? <p className="muted inspector-pad">Loading…</p> : null}
      {query.error ? (
        <div className="inspector-pad">
          <ErrorText error={query.error} />
        </div>
      ) : null}
      {d ? (
        <div className="inspector-body">
          <div className="row inspector-tabs-row">
            <div className="tabs" role="tablist" aria-label="Delivery details">
              {TABS.map((t) => (
                <button
                  key={t.id}
                  type="button"
                  role="tab"
                  id={`${baseId}-${t.id}`}
                  aria-controls={`${baseId}-${t.id}-panel`}
                  aria-selected={tab === t.id}
                  className="tab"
                  onClick={() => setTab(t.id)}
                >
                  {t.label}
                  {t.id === 'attempts' ? ` (${d.attempts.length})` : ''}
                </button>
              ))}
            </div>
            <span className="spacer" />
            {d.attempts.length > 1 && tab !== 'attempts' ? (
              <select
                className="select attempt-select"
                aria-label="Attempt"
                value={attempt?.number ?? ''}
                onChange={(e) => setPinned(Number(e.target.value) === latest?.number ? null : Number(e.target.value))}
              >
                {d.attempts.map((a) => (
                  <option key={a.number} value={a.number}>
                    Attempt {a.number}
                    {a.number === latest?.number ? ' (latest)' : ''}
                  </option>
                ))}
              </select>
            ) : null}
          </div>
          <div
            role="tabpanel"
            id={`${baseId}-${tab}-panel`}
            aria-labelledby={`${baseId}-${tab}`}
            className="inspector-panel"
          >
            {tab === 'attempts' ? (
              <AttemptsTimeline
                delivery={d}
                selected={attempt?.number ?? null}
                onSelect={(n) => {
                  setPinned(n === latest?.number ? null : n);
                  setTab('response');
                }}
              />
            ) : !attempt ? (
              <p className="muted">
                No attempt yet{d.status === 'pending' ? ': the first one is queued.' : '.'} The payload to be sent:
              </p>
            ) : tab === 'request' ? (
              <RequestView request={attempt.request} />
            ) : (
              <div className="stack">
                <AttemptOutcome attempt={attempt} />
                <ResponseView attempt={attempt} />
              </div>
            )}
            {!attempt && tab !== 'attempts' ? (
              <pre className="code-block">{JSON.stringify(d.payload, null, 2)}</pre>
            ) : null}
          </div>
        </div>
      ) : null}
    </aside>
  );
}
