// What a delivery is waiting for, in words: retrying after an error (not just "Pending"), or paused because its
// endpoint is disabled, by the user or by auto-disable. Shared by the log's rows and the inspector.
import type { Delivery, Endpoint } from '@shared';
import { formatRelative, StatusBadge, useNow } from '../../components';

/** The attempts made, in a table cell, with how many its policy allows in its title. */
export function AttemptsCell({
  d,
  className = 'num',
}: {
  d: Pick<Delivery, 'attemptCount' | 'maxAttempts'>;
  className?: string;
}) {
  return (
    <td className={className} title={`${d.attemptCount} of at most ${d.maxAttempts} attempts`}>
      {d.attemptCount}
    </td>
  );
}

/** Waiting for another attempt after a failed one. */
export const isRetrying = (d: { status: Delivery['status']; attemptCount?: number }) =>
  d.status === 'pending' && (d.attemptCount ?? 0) > 0;

export interface PausedReason {
  /** auto-disable (consecutive failures) rather than a person */
  auto: boolean;
  /** the endpoint's disabled_reason, as stored */
  text: string;
}

/**
 * Why a paused delivery waits: its endpoint is disabled, automatically (the delivery's pausedReason says so) or by a
 * person; the text is the endpoint's reason as stored. Null when the delivery is not paused, or its endpoint is
 * enabled again (a refresh is on its way).
 */
export function pausedReason(
  d: Pick<Delivery, 'status' | 'pausedReason'>,
  endpoint: Endpoint | undefined,
): PausedReason | null {
  if (d.status !== 'paused' || !endpoint || endpoint.enabled) return null;
  // why it waits now: the endpoint's current disable, beside whose reason this is shown (a person may have disabled
  // an auto-disabled endpoint since the delivery was paused); the delivery's own reason when the endpoint has none
  const by = endpoint.disabledBy ?? (d.pausedReason === 'endpoint_auto_disabled' ? 'auto' : 'manual');
  return { auto: by === 'auto', text: endpoint.disabledReason ?? 'Disabled' };
}

/** One short word for a transport error (the log's HTTP column); the full text goes in the title. */
export function errorWord(error: string | null): string | null {
  if (!error) return null;
  if (/timeout|timed out/i.test(error)) return 'timeout';
  if (/ECONNREFUSED/.test(error)) return 'refused';
  if (/^TLS error/.test(error)) return 'TLS';
  if (/invalid HTTP response|HTTP\/1\.1 protocol/.test(error)) return 'invalid';
  if (/ECONNRESET|closed/.test(error)) return 'reset';
  if (/ENOTFOUND|EAI_AGAIN|DNS/.test(error)) return 'DNS';
  return 'error';
}

/** The status badge, with "Retrying" for a pending delivery that already failed once. */
export function DeliveryStatusBadge({
  delivery,
  title,
}: {
  delivery: Pick<Delivery, 'status' | 'attemptCount' | 'lastError'>;
  title?: string;
}) {
  if (isRetrying(delivery)) {
    return (
      <span className="badge badge-warn" data-status="retrying" title={title ?? delivery.lastError ?? undefined}>
        Retrying
      </span>
    );
  }
  return <StatusBadge status={delivery.status} title={title} />;
}

/** "Retrying in 12 s" (or "Retrying now" once due). */
export function RetryCountdown({ nextAttemptAt }: { nextAttemptAt: string | null }) {
  const now = useNow();
  if (!nextAttemptAt) return <>Retrying soon</>;
  const due = Date.parse(nextAttemptAt);
  if (due <= now) return <>Retrying now</>;
  return <time dateTime={nextAttemptAt}>Retrying {formatRelative(nextAttemptAt, now)}</time>;
}
