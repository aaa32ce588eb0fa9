import { type Endpoint, hideHeaderValue, hideUrlPassword, isSecretHeader, type RetryPolicy } from '@shared';
import { useState } from 'react';
import { navigate } from '../../app/router';
import {
  ConfirmDialog,
  ErrorText,
  FormFooter,
  humanizeMs,
  Modal,
  PageHeader,
  RelativeTime,
  toast,
} from '../../components';
import { useRoute, useRouteMutation } from '../../lib/query';
import { DisabledBanner } from './disabled-banner';
import { P50, QueueCounts, SuccessRate, TypeChips } from './endpoint-cells';
import { EndpointDeliveries } from './endpoint-deliveries';
import { draftFromEndpoint, draftToFields, schemeLabels } from './endpoint-draft';
import { EndpointForm } from './endpoint-form';
import { EndpointHeader } from './endpoint-header';
import { HealthCharts } from './health-charts';
import { SecretPanel } from './secret-panel';
import { TestSendButton, TestSendResult, useTestSend } from './test-send-panel';
import { VerifyPanel } from './verify-panel';

const affects = ['endpoints.list', 'endpoints.get', 'deliveries.list', 'system.status'] as const;

function EditDrawer({ endpoint, onClose }: { endpoint: Endpoint; onClose: () => void }) {
  const update = useRouteMutation('endpoints.update', {
    invalidates: [...affects],
    onSuccess: () => {
      toast('Endpoint saved', 'success');
      onClose();
    },
  });
  return (
    <Modal
      variant="drawer"
      title="Edit endpoint"
      onClose={onClose}
      footer={
        <FormFooter
          formId="edit-endpoint-form"
          onCancel={onClose}
          submitLabel="Save changes"
          pendingLabel="Saving…"
          pending={update.isPending}
        />
      }
    >
      <EndpointForm
        formId="edit-endpoint-form"
        initial={draftFromEndpoint(endpoint)}
        submitLabel="Save changes"
        busy={update.isPending}
        serverError={update.error}
        onSubmit={(draft) => update.mutate({ id: endpoint.id, ...draftToFields(draft) })}
        onCancel={onClose}
      />
    </Modal>
  );
}

/** An endpoint's own retry policy in a line, or that it follows the settings. */
function retrySummary(p: RetryPolicy | null): string {
  if (p === null) return 'as in Settings';
  const attempts = `${p.maxAttempts} attempt${p.maxAttempts === 1 ? '' : 's'}`;
  if (p.maxAttempts === 1) return `own policy: ${attempts}, no retry`;
  const growth = p.multiplier === 1 ? '' : `, × ${p.multiplier} each time up to ${humanizeMs(p.maxDelayMs)}`;
  const jitter = p.jitter > 0 ? `, jitter ${p.jitter}` : '';
  return `own policy: ${attempts}, first retry after ${humanizeMs(p.initialDelayMs)}${growth}${jitter}`;
}

function autoDisableSummary(threshold: number | null): string {
  if (threshold === null) return 'as in Settings';
  return threshold === 0 ? 'own setting: never' : `own setting: after ${threshold} consecutive failed attempts`;
}

function Overview({ endpoint }: { endpoint: Endpoint }) {
  const headers = Object.entries(endpoint.headers);
  // credentials in custom headers (Authorization, X-Api-Key, …) stay hidden until asked for, like the secret
  const [revealed, setRevealed] = useState(false);
  const hidden = headers.some(([k]) => isSecretHeader(k));
  return (
    <section className="card" aria-labelledby="overview-heading">
      <h3 id="overview-heading">Configuration</h3>
      <dl className="kv detail-kv">
        <dt>Description</dt>
        <dd>{endpoint.description || <span className="muted">—</span>}</dd>
        <dt>Event types</dt>
        <dd>
          <TypeChips types={endpoint.eventTypes} max={20} />
        </dd>
        <dt>Scheme</dt>
        <dd>{schemeLabels[endpoint.scheme].label}</dd>
        <dt>Timeout</dt>
        <dd>{endpoint.timeoutMs} ms</dd>
        <dt>Rate limit</dt>
        <dd>{endpoint.rateLimitPerSec == null ? 'unlimited' : `${endpoint.rateLimitPerSec}/s`}</dd>
        <dt>Retries</dt>
        <dd>{retrySummary(endpoint.retry)}</dd>
        <dt>Auto-disable</dt>
        <dd>{autoDisableSummary(endpoint.autoDisableThreshold)}</dd>
        <dt>Headers</dt>
        <dd>
          {headers.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <>
              {headers.map(([k, v]) => (
                <div key={k}>
                  {k}: {isSecretHeader(k) && !revealed ? hideHeaderValue(v) : v}
                </div>
              ))}
              {hidden ? (
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-pressed={revealed}
                  onClick={() => setRevealed((r) => !r)}
                >
                  {revealed ? 'Hide values' : 'Reveal values'}
                </button>
              ) : null}
            </>
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          <RelativeTime iso={endpoint.createdAt} />
        </dd>
        <dt>ID</dt>
        <dd>{endpoint.id}</dd>
      </dl>
    </section>
  );
}

function Health({ endpoint }: { endpoint: Endpoint }) {
  const s = endpoint.stats;
  return (
    <section className="card health" aria-labelledby="health-heading">
      <h3 id="health-heading">Health</h3>
      <div className="metrics">
        <div className="metric">
          <span className="metric-value">
            <SuccessRate endpoint={endpoint} />
          </span>
          <span className="metric-label">
            success · last {s.recentAttempts} attempt{s.recentAttempts === 1 ? '' : 's'}
          </span>
        </div>
        <div className="metric">
          <span className="metric-value">
            <P50 endpoint={endpoint} />
          </span>
          <span className="metric-label">p50 latency</span>
        </div>
        <div className="metric">
          <span className={`metric-value ${s.consecutiveFailures > 0 ? 'rate-err' : ''}`}>{s.consecutiveFailures}</span>
          <span className="metric-label">consecutive failures</span>
        </div>
        <div className="metric">
          <span className="metric-value">
            <QueueCounts endpoint={endpoint} />
          </span>
          <span className="metric-label">waiting</span>
        </div>
      </div>
    </section>
  );
}

export function EndpointDetail({ id }: { id: string }) {
  const { data: endpoint, error, isPending } = useRoute('endpoints.get', { id });
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const testSend = useTestSend();
  const enable = useRouteMutation('endpoints.enable', { invalidates: [...affects] });
  // its toast comes from the endpoint.disabled push (app/disabled-toast.ts), as for an auto-disable
  const disable = useRouteMutation('endpoints.disable', { invalidates: [...affects] });
  const remove = useRouteMutation('endpoints.delete', {
    invalidates: ['endpoints.list', 'system.status'],
    onSuccess: () => {
      toast('Endpoint deleted', 'success');
      navigate('/endpoints');
    },
  });

  const back = (
    <a href="#/endpoints" className="crumb">
      Endpoints
    </a>
  );
  if (isPending) return <PageHeader title={back} subtitle="Loading…" />;
  if (error || !endpoint) {
    return (
      <>
        <PageHeader title={back} />
        <div className="page-body">
          <ErrorText error={error ?? new Error('Endpoint not found')} />
        </div>
      </>
    );
  }
  const toggleError = enable.error ?? disable.error;
  return (
    <>
      <EndpointHeader
        endpoint={endpoint}
        actions={
          <>
            <TestSendButton endpoint={endpoint} send={testSend} />
            <button type="button" className="btn" onClick={() => setEditing(true)}>
              Edit
            </button>
            {endpoint.enabled ? (
              <button
                type="button"
                className="btn"
                disabled={disable.isPending}
                onClick={() => disable.mutate({ id: endpoint.id, reason: 'Disabled manually' })}
              >
                Disable
              </button>
            ) : (
              <button
                type="button"
                className="btn"
                disabled={enable.isPending}
                onClick={() => enable.mutate({ id: endpoint.id })}
              >
                Enable
              </button>
            )}
            <button type="button" className="btn btn-danger" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          </>
        }
      />
      <div className="page-body endpoint-detail">
        {endpoint.enabled ? null : <DisabledBanner endpoint={endpoint} />}
        {toggleError ? <ErrorText error={toggleError} /> : null}
        <TestSendResult result={testSend.data} error={testSend.error} />
        <div className="detail-grid">
          <Overview endpoint={endpoint} />
          <div className="stack">
            <Health endpoint={endpoint} />
            <SecretPanel endpoint={endpoint} />
          </div>
        </div>
        <VerifyPanel endpoint={endpoint} />
        <HealthCharts endpointId={endpoint.id} />
        <EndpointDeliveries endpoint={endpoint} />
      </div>
      {editing ? <EditDrawer endpoint={endpoint} onClose={() => setEditing(false)} /> : null}
      {confirmDelete ? (
        <ConfirmDialog
          title="Delete endpoint?"
          message={
            <p>
              <span className="mono">{hideUrlPassword(endpoint.url)}</span> will stop receiving events. Its waiting
              deliveries are cancelled; its delivery history is kept.
            </p>
          }
          confirmLabel="Delete endpoint"
          danger
          busy={remove.isPending}
          error={remove.error ? <ErrorText error={remove.error} /> : null}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => remove.mutate({ id: endpoint.id })}
        />
      ) : null}
    </>
  );
}
