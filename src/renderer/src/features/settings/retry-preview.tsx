import { type RetryPolicy, retrySchedule } from '@shared';
import { useMemo } from 'react';
import { humanizeMs } from '../../components';

const range = (min: number, max: number) => (min === max ? humanizeMs(min) : `${humanizeMs(min)} – ${humanizeMs(max)}`);

export interface RetryPreviewProps {
  /** null while the policy in the form is invalid */
  policy: RetryPolicy | null;
  /** consecutive failures that disable an endpoint (0 = never) */
  autoDisableThreshold: number | null;
}

/** Each retry's delay range with the time elapsed since the first attempt. */
function scheduleRows(policy: RetryPolicy) {
  let minTotal = 0;
  let maxTotal = 0;
  return retrySchedule(policy).map((r) => {
    minTotal += r.minMs;
    maxTotal += r.maxMs;
    return { ...r, minTotal, maxTotal };
  });
}

/** The schedule in one sentence: how many attempts, and when a delivery that keeps failing is given up. */
export function RetrySummary({ policy }: { policy: RetryPolicy }) {
  const rows = useMemo(() => scheduleRows(policy), [policy]);
  const last = rows[rows.length - 1];
  if (rows.length === 0) return <>One attempt, no retries: a failed delivery fails at once.</>;
  return (
    <>
      {policy.maxAttempts} attempts; a delivery that keeps failing is marked failed{' '}
      <strong>{range(last?.minTotal ?? 0, last?.maxTotal ?? 0)}</strong> after its first attempt.
    </>
  );
}

/** What the policy does to a delivery that keeps failing: each retry's delay and the time elapsed so far. */
export function RetryPreview({ policy, autoDisableThreshold }: RetryPreviewProps) {
  const rows = useMemo(() => (policy ? scheduleRows(policy) : null), [policy]);

  if (!policy || !rows) {
    return (
      <section className="card retry-preview" aria-label="Retry schedule preview">
        <h3>Schedule</h3>
        <p className="muted">Fix the retry policy to see its schedule.</p>
      </section>
    );
  }
  return (
    <section className="card retry-preview" aria-label="Retry schedule preview">
      <h3>Schedule</h3>
      <p className="preview-summary" data-testid="retry-summary">
        <RetrySummary policy={policy} />
      </p>
      {rows.length > 0 ? (
        <div className="preview-scroll">
          <table className="table preview-table">
            <thead>
              <tr>
                <th>Attempt</th>
                <th title="delay before this attempt">Wait</th>
                <th title="time since the first attempt">Elapsed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.retry} className={autoDisableThreshold === r.retry + 1 ? 'preview-disable' : undefined}>
                  <td title={`retry ${r.retry}`}>#{r.retry + 1}</td>
                  <td>{range(r.minMs, r.maxMs)}</td>
                  <td>{range(r.minTotal, r.maxTotal)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {autoDisableThreshold && autoDisableThreshold > 0 ? (
        <p className="muted preview-note">
          An endpoint is disabled after {autoDisableThreshold} consecutive failed attempts
          {autoDisableThreshold >= 2 && autoDisableThreshold <= policy.maxAttempts
            ? ' (highlighted)'
            : ', counted across deliveries'}
          ; its waiting deliveries, and those of events fired while it stays disabled, are paused until it is
          re-enabled.
        </p>
      ) : null}
    </section>
  );
}
