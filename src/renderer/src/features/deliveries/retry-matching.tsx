// "Retry all matching": every failed delivery that matches the filters, server-side, not only loaded rows.
import type { DeliveryFilter } from '@shared';
import { useState } from 'react';
import { ConfirmDialog, ErrorText, toast } from '../../components';
import { useRoute, useRouteMutation } from '../../lib/query';

export interface RetryMatchingProps {
  filter: DeliveryFilter;
  /** failed deliveries among the rows, when every matching row is loaded; null when unknown */
  knownFailed: number | null;
}

export function RetryMatching({ filter, knownFailed: loadedFailed }: RetryMatchingProps) {
  const [open, setOpen] = useState(false);
  const retry = useRouteMutation('deliveries.retryMatching', {
    invalidates: ['deliveries.list', 'deliveries.count', 'deliveries.get', 'deliveries.retryMatching', 'system.status'],
  });
  const statuses = filter.status === undefined ? null : Array.isArray(filter.status) ? filter.status : [filter.status];
  const excludesFailed = statuses !== null && !statuses.includes('failed');
  const { status: _status, ...input } = filter;
  // The engine counts what it would retry (a dry run: the failed matches, loaded or not, of endpoints not deleted);
  // the loaded rows answer until it has.
  const retryable = useRoute('deliveries.retryMatching', { ...input, dryRun: true }, { enabled: !excludesFailed });
  const knownFailed = retryable.data?.retried ?? loadedFailed;

  const confirm = () =>
    retry.mutate(input, {
      onSuccess: (out) => {
        setOpen(false);
        toast(`Retried ${out.retried} ${out.retried === 1 ? 'delivery' : 'deliveries'}`, 'success');
      },
    });

  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={excludesFailed || knownFailed === 0}
        title={
          excludesFailed
            ? 'The status filter leaves out failed deliveries'
            : 'Retry every failed delivery matching the filters, not just the visible ones'
        }
        onClick={() => {
          retry.reset();
          setOpen(true);
        }}
      >
        Retry all matching
      </button>
      {open ? (
        <ConfirmDialog
          title="Retry all matching deliveries"
          message={
            knownFailed !== null ? (
              <>
                Retry <strong>{knownFailed}</strong> failed {knownFailed === 1 ? 'delivery' : 'deliveries'} matching the
                current filters now?
              </>
            ) : (
              <>
                Retry every failed delivery matching the current filters now? This includes ones not loaded on screen.
              </>
            )
          }
          confirmLabel="Retry"
          busy={retry.isPending}
          onConfirm={confirm}
          onCancel={() => setOpen(false)}
          error={retry.error ? <ErrorText error={retry.error} /> : null}
        />
      ) : null}
    </>
  );
}
