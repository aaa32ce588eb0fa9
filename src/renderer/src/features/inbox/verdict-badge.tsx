import type { InboxRequest } from '@shared';

/** ✓ verified / ✗ with the reason / no verdict (the inbox is not linked to an endpoint). */
export function VerdictBadge({ verification }: { verification: InboxRequest['verification'] }) {
  if (!verification) {
    return (
      <span className="badge" title="Link the inbox to an endpoint to verify signatures">
        No verdict
      </span>
    );
  }
  if (verification.verified) {
    return (
      <span className="badge badge-ok" data-verdict="verified">
        ✓ Verified ({verification.scheme})
      </span>
    );
  }
  return (
    <span className="badge badge-err" data-verdict="rejected" title={verification.reason ?? undefined}>
      ✗ {verification.reason ?? 'Not verified'}
    </span>
  );
}

/** The status an inbox answered with: green 2xx, red otherwise, "hung" when it never answered. */
export function ResponseStatus({ status }: { status: number | null }) {
  if (status === null) return <span className="badge badge-warn">hung</span>;
  return <span className={`badge ${status >= 200 && status < 300 ? 'badge-ok' : 'badge-err'}`}>{status}</span>;
}
