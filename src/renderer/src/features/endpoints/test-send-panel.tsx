import { type Endpoint, subscribes, type WebhookTestOutput } from '@shared';
import { useState } from 'react';
import { Duration, ErrorText, JsonView, StatusBadge } from '../../components';
import { useRoute, useRouteMutation } from '../../lib/query';

/** The engine's default test event (webhooks.test without a type). */
const TEST_TYPE = 'hookbench.test';

/** "Send test event": one attempt now (it is also in the delivery log); the result shows inline. */
export function useTestSend() {
  return useRouteMutation('webhooks.test', {
    invalidates: ['deliveries.list', 'endpoints.get', 'endpoints.list', 'system.status'],
  });
}

export function TestSendResult({ result, error }: { result: WebhookTestOutput | undefined; error: unknown }) {
  if (error) return <ErrorText error={error} />;
  if (!result) return null;
  const { attempt } = result;
  const status = attempt.response?.status;
  return (
    <section className="card test-result" aria-label="Test result" aria-live="polite">
      <div className="row test-result-head">
        <StatusBadge status={attempt.succeeded ? 'succeeded' : 'failed'} />
        <strong data-testid="test-status">{status != null ? `HTTP ${status}` : 'No response'}</strong>
        <Duration ms={attempt.durationMs} />
        <span className="spacer" />
        {result.deliveryId ? (
          <a href={`#/deliveries/${encodeURIComponent(result.deliveryId)}`}>Inspect delivery →</a>
        ) : null}
      </div>
      {attempt.error ? <div className="error-text">{attempt.error}</div> : null}
      {attempt.response ? (
        <>
          <span className="label">Response body{attempt.response.truncated ? ' (truncated)' : ''}</span>
          {attempt.response.body ? (
            <JsonView value={attempt.response.body} className="test-body" />
          ) : (
            <p className="muted">Empty body</p>
          )}
        </>
      ) : null}
    </section>
  );
}

/**
 * Send test event: `hookbench.test`, or the catalog's example of a type the endpoint subscribes to (as Svix's "Send
 * example" does), one attempt now.
 */
export function TestSendButton({ endpoint, send }: { endpoint: Endpoint; send: ReturnType<typeof useTestSend> }) {
  const catalog = useRoute('eventTypes.list', {}, { staleTime: 30_000 });
  const types = (catalog.data?.data ?? []).filter(
    (t) => t.name !== TEST_TYPE && subscribes(endpoint.eventTypes, t.name),
  );
  const [type, setType] = useState(TEST_TYPE);
  const chosen = types.find((t) => t.name === type);
  return (
    <div className="row test-send">
      {types.length > 0 ? (
        <select
          className="select test-send-type"
          aria-label="Test event type"
          value={chosen ? chosen.name : TEST_TYPE}
          onChange={(e) => setType(e.target.value)}
        >
          <option value={TEST_TYPE}>{TEST_TYPE}</option>
          <optgroup label="Catalog examples">
            {types.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </optgroup>
        </select>
      ) : null}
      <button
        type="button"
        className="btn"
        disabled={send.isPending}
        onClick={() =>
          send.mutate(
            chosen ? { endpointId: endpoint.id, type: chosen.name, data: chosen.example } : { endpointId: endpoint.id },
          )
        }
        title={
          chosen
            ? `Send the catalog's example of ${chosen.name} to this endpoint now`
            : `Send a ${TEST_TYPE} event to this endpoint now`
        }
      >
        {send.isPending ? 'Sending…' : 'Send test event'}
      </button>
    </div>
  );
}
