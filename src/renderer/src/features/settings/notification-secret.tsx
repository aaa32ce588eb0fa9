import { useState } from 'react';
import { CopyButton, ErrorText } from '../../components';
import { useClient, useRoute, useRouteMutation } from '../../lib/query';

/** The secret that signs the operational events (`endpoint.disabled`, `delivery.exhausted`), so their consumer can verify them. */
export function NotificationSecret() {
  const client = useClient();
  const [revealed, setRevealed] = useState(false);
  const secret = useRoute(
    'settings.notificationSecret',
    {},
    { enabled: revealed, staleTime: Number.POSITIVE_INFINITY },
  );
  // a new secret (also the way out when the stored one was sealed under another key); shown at once
  const rotate = useRouteMutation('settings.rotateNotificationSecret', {
    invalidates: ['settings.notificationSecret'],
    onSuccess: () => setRevealed(true),
  });
  return (
    <div className="field">
      <span className="label">Notification signing secret (Standard Webhooks)</span>
      <div className="row">
        <code className="secret-value" data-testid="notification-secret">
          {revealed ? (secret.data?.secret ?? 'Loading…') : '••••••••••••••••••••••••'}
        </code>
        <button type="button" className="btn btn-sm" onClick={() => setRevealed((r) => !r)} aria-pressed={revealed}>
          {revealed ? 'Hide' : 'Reveal'}
        </button>
        <CopyButton
          text={async () => (await client.call('settings.notificationSecret', {})).secret}
          ariaLabel="Copy notification signing secret"
        />
        <button type="button" className="btn btn-sm" onClick={() => rotate.mutate({})} disabled={rotate.isPending}>
          Rotate
        </button>
      </div>
      {secret.error ? <ErrorText error={secret.error} /> : null}
      {rotate.error ? <ErrorText error={rotate.error} /> : null}
    </div>
  );
}
