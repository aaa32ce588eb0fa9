import type { Endpoint, WebhookTestOutput } from '@shared';
import { Duration, ErrorText, JsonView, StatusBadge } from '../../components';
import { useRouteMutation } from '../../lib/query';

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

export function TestSendButton({ endpoint, send }: { endpoint: Endpoint; send: ReturnType<typeof useTestSend> }) {
  return (
    <button
      type="button"
      className="btn"
      disabled={send.isPending}
      onClick={() => send.mutate({ endpointId: endpoint.id })}
      title="Send a hookbench.test event to this endpoint now"
    >
      {send.isPending ? 'Sending…' : 'Send test event'}
    </button>
  );
}
