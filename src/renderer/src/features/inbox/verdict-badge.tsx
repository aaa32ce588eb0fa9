import type { ForwardResult, InboxRequest } from '@shared';

/**
 * ✓ verified / ✗ with the reason / no verdict (the inbox is not linked to an endpoint). `compact` (the table)
 * keeps the scheme and the reason in the tooltip, so the column stays narrow.
 */
export function VerdictBadge({
  verification,
  compact = false,
}: {
  verification: InboxRequest['verification'];
  compact?: boolean;
}) {
  if (!verification) {
    return (
      <span className="badge" title="Link the inbox to an endpoint to verify signatures">
        No verdict
      </span>
    );
  }
  if (verification.verified) {
    return (
      <span className="badge badge-ok" data-verdict="verified" title={`Verified (${verification.scheme})`}>
        ✓ Verified{compact ? '' : ` (${verification.scheme})`}
      </span>
    );
  }
  const reason = verification.reason ?? 'Not verified';
  return (
    <span className="badge badge-err" data-verdict="rejected" title={reason}>
      ✗ {compact ? 'Rejected' : reason}
    </span>
  );
}

/** The status an inbox answered with: green 2xx, red otherwise, "hung" when it never answered. */
export function ResponseStatus({ status }: { status: number | null }) {
  if (status === null) return <span className="badge badge-warn">hung</span>;
  return <span className={`badge ${status >= 200 && status < 300 ? 'badge-ok' : 'badge-err'}`}>{status}</span>;
}

/** What the local server answered when the request was forwarded: its status, "error", or a dash. */
export function ForwardStatus({ forward }: { forward: ForwardResult | null }) {
  if (!forward) return <span className="muted">—</span>;
  if (forward.status === null) {
    return (
      <span className="badge badge-err" title={forward.error ?? undefined}>
        error
      </span>
    );
  }
  return <ResponseStatus status={forward.status} />;
}
