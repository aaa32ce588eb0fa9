// The delivery inspector: Request, Response and Attempts of one delivery, for any of its attempts, with what it
// waits for (a retry, an endpoint to be enabled) and its actions (inspector-actions.tsx). Esc closes it.
import { type DeliveryDetail, type Endpoint, hideUrlPassword } from '@shared';
import { useEffect, useState } from 'react';
import { hrefTo } from '../../app/router';
import { useShortcut } from '../../app/shortcuts';
import { ErrorText, inUiWords, RelativeTime, Tabs, tabPanelProps, useTabs } from '../../components';
import { useRoute } from '../../lib/query';
import { AttemptsTimeline } from './attempts-timeline';
import { DeliveryStatusBadge, isRetrying, pausedReason, RetryCountdown } from './delivery-state';
import { AttemptOutcome, RequestView, ResponseView } from './http-parts';
import { InspectorActions } from './inspector-actions';

type Tab = 'request' | 'response' | 'attempts';
const TABS: ReadonlyArray<{ id: Tab; label: string }> = [
  { id: 'request', label: 'Request' },
  { id: 'response', label: 'Response' },
  { id: 'attempts', label: 'Attempts' },
];

/**
 * A delivery made well after its event: only replaying what an endpoint missed does that (a retry keeps the delivery;
 * fan-out writes it with the event, in the same transaction).
 */
const replayed = (d: DeliveryDetail) => Date.parse(d.createdAt) - Date.parse(d.payload.created_at) > 2_000;

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
  const ids = useTabs<Tab>();
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

  const d: DeliveryDetail | undefined = query.data;
  const endpoint = d ? endpointOf(d.endpointId) : undefined;
  const latest = d?.attempts[d.attempts.length - 1];
  const attempt = (pinned !== null ? d?.attempts.find((a) => a.number === pinned) : undefined) ?? latest;
  const paused = d ? pausedReason(d, endpoint) : null;

  return (
    <aside className="panel inspector" aria-label="Delivery inspector">
      <div className="inspector-head">
        <div className="row">
          {d ? <DeliveryStatusBadge delivery={d} /> : null}
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
              <dd>
                <a
                  href={hrefTo(`/events/${encodeURIComponent(d.eventId)}`)}
                  title="Open the event: every endpoint's delivery"
                >
                  {d.eventId}
                </a>
              </dd>
              <dt>Endpoint</dt>
              <dd>
                {endpoint ? (
                  hideUrlPassword(endpoint.url)
                ) : (
                  <span className="muted">deleted endpoint {d.endpointId}</span>
                )}
              </dd>
              <dt>Created</dt>
              <dd>
                <RelativeTime iso={d.createdAt} />
              </dd>
              {replayed(d) ? (
                <>
                  <dt>Event fired</dt>
                  <dd>
                    <RelativeTime iso={d.payload.created_at} />{' '}
                    <span className="muted">(this delivery was a replay of what the endpoint missed)</span>
                  </dd>
                </>
              ) : null}
            </>
          ) : null}
        </dl>
        {d && isRetrying(d) ? (
          <p className="inspector-note note-retrying" role="status">
            <strong>
              <RetryCountdown nextAttemptAt={d.nextAttemptAt} />
            </strong>
            {d.lastError ? <span> · last attempt: {inUiWords(d.lastError)}</span> : null}
          </p>
        ) : null}
        {paused ? (
          <p className="inspector-note note-paused" role="status">
            <strong>
              Paused: {paused.auto ? 'the endpoint was disabled automatically' : 'the endpoint is disabled'}
            </strong>
            <span> · {paused.text}. Enable it to resume this delivery.</span>
          </p>
        ) : null}
        {d ? <InspectorActions delivery={d} endpoint={endpoint} attempt={attempt} /> : null}
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
            <Tabs
              label="Delivery details"
              tabs={TABS.map((t) => (t.id === 'attempts' ? { ...t, label: `${t.label} (${d.attempts.length})` } : t))}
              selected={tab}
              onSelect={setTab}
              ids={ids}
            />
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
          <div className="inspector-panel" {...tabPanelProps(ids, tab)}>
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
