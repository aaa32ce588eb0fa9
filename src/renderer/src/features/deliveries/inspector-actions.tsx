// The inspector's actions: Retry now (not for paused deliveries: their endpoint must be enabled first, which is
// offered here; nor for a deleted endpoint's), Copy as curl as sent and signed now, Copy payload, Edit and resend,
// Cancel. One error line at a time, cleared by the next action, so a failed Retry's message does not outlive a successful Cancel.
import type { DeliveryDetail, Endpoint } from '@shared';
import { useEffect } from 'react';
import { CopyButton, ErrorText, toast } from '../../components';
import { useClient, useRouteMutation } from '../../lib/query';
import { buildCurl } from '../compose/curl';
import { openInCompose, useComposeSource } from './edit-resend';

const REFRESH = ['deliveries.get', 'deliveries.list', 'deliveries.count', 'events.get', 'system.status'] as const;

export interface InspectorActionsProps {
  delivery: DeliveryDetail;
  endpoint: Endpoint | undefined;
  /** the attempt shown (its request is what "as sent" copies) */
  attempt: DeliveryDetail['attempts'][number] | undefined;
}

export function InspectorActions({ delivery: d, endpoint, attempt }: InspectorActionsProps) {
  const client = useClient();
  const retry = useRouteMutation('deliveries.retry', {
    invalidates: [...REFRESH],
    onSuccess: () => toast('Retry queued', 'success'),
  });
  const cancel = useRouteMutation('deliveries.cancel', {
    invalidates: [...REFRESH],
    onSuccess: () => toast('Delivery cancelled', 'info'),
  });
  const enable = useRouteMutation('endpoints.enable', {
    invalidates: [...REFRESH, 'endpoints.list', 'endpoints.get'],
    onSuccess: () => toast('Endpoint enabled: its paused deliveries resume', 'success'),
  });
  const mutations = [retry, cancel, enable];
  const error = mutations.find((m) => m.error)?.error ?? null;
  // Another delivery, or a new state of this one, starts without the last action's error.
  const { reset: resetRetry } = retry;
  const { reset: resetCancel } = cancel;
  const { reset: resetEnable } = enable;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the delivery or its status changes
  useEffect(() => {
    resetRetry();
    resetCancel();
    resetEnable();
  }, [d.id, d.status, resetRetry, resetCancel, resetEnable]);
  const run = (m: (typeof mutations)[number], go: () => void) => {
    for (const other of mutations) if (other !== m) other.reset();
    go();
  };

  const paused = d.status === 'paused';
  const endpointDisabled = !!endpoint && !endpoint.enabled;
  const source = useComposeSource(d.eventType);
  const payload = () => attempt?.request.body ?? JSON.stringify(d.payload, null, 2);

  return (
    <>
      <div className="row inspector-actions">
        <button
          type="button"
          className="btn btn-sm btn-primary"
          disabled={retry.isPending || paused || !endpoint}
          title={
            !endpoint
              ? 'Its endpoint was deleted: there is nothing to retry it to'
              : paused
                ? 'Paused: enable the endpoint to resume it'
                : undefined
          }
          onClick={() => run(retry, () => retry.mutate({ id: d.id }))}
        >
          {retry.isPending ? 'Retrying…' : 'Retry now'}
        </button>
        {endpointDisabled ? (
          <button
            type="button"
            className="btn btn-sm"
            disabled={enable.isPending}
            onClick={() => run(enable, () => enable.mutate({ id: d.endpointId }))}
          >
            {enable.isPending ? 'Enabling…' : 'Enable endpoint'}
          </button>
        ) : null}
        {attempt ? <CopyButton text={() => buildCurl(attempt.request)} label="Copy as curl" /> : null}
        {endpoint ? (
          <CopyButton
            text={async () => buildCurl(await client.call('deliveries.signNow', { id: d.id }))}
            label="Copy as curl (signed now)"
          />
        ) : null}
        <CopyButton text={payload} label="Copy payload" />
        <button
          type="button"
          className="btn btn-sm"
          disabled={!source || !endpoint}
          title="Open this payload in Compose, aimed at this endpoint"
          onClick={() => source && openInCompose(source, d.payload.data, d.endpointId)}
        >
          Edit and resend
        </button>
        {d.status === 'pending' || paused ? (
          <button
            type="button"
            className="btn btn-sm btn-danger"
            disabled={cancel.isPending}
            onClick={() => run(cancel, () => cancel.mutate({ id: d.id }))}
          >
            Cancel
          </button>
        ) : null}
      </div>
      <ErrorText error={error} />
    </>
  );
}
