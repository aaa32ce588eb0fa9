import type { DeliveryStatus, Endpoint } from '@shared';

/** What the endpoint list shows: disabled wins over failing. */
export type EndpointState = 'enabled' | 'disabled' | 'failing';

export function endpointState(endpoint: Pick<Endpoint, 'enabled' | 'stats'>): EndpointState {
  if (!endpoint.enabled) return 'disabled';
  return endpoint.stats.consecutiveFailures > 0 ? 'failing' : 'enabled';
}

/** The one wording of every delivery status and endpoint state (badges, filters). */
export const statusLabels: Record<DeliveryStatus | EndpointState, string> = {
  pending: 'Pending',
  sending: 'Sending',
  succeeded: 'Succeeded',
  failed: 'Failed',
  paused: 'Paused',
  cancelled: 'Cancelled',
  enabled: 'Enabled',
  disabled: 'Disabled',
  failing: 'Failing',
};

export interface StatusBadgeProps {
  /** a delivery status or an endpoint state */
  status: DeliveryStatus | EndpointState;
  /** tooltip, e.g. a disabled reason */
  title?: string;
}

export function StatusBadge({ status, title }: StatusBadgeProps) {
  return (
    <span className={`badge badge-${status}`} title={title} data-status={status}>
      {statusLabels[status]}
    </span>
  );
}
