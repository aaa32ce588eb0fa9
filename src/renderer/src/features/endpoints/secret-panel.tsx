import { type Endpoint, ONE_SIGNATURE_SCHEMES } from '@shared';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog, CopyButton, ErrorText, RelativeTime, toast } from '../../components';
import { routeKey, useClient, useRoute, useRouteMutation } from '../../lib/query';

const graceChoices = [
  { seconds: 0, label: 'Now', detail: 'the old secret stops signing immediately' },
  { seconds: 3600, label: '1 hour', detail: 'both secrets sign for 1 hour' },
  { seconds: 86_400, label: '24 hours', detail: 'both secrets sign for 24 hours' },
] as const;

const MASK = '••••••••••••••••••••••••';

/** Reveal, copy and rotate the signing secret; lists older secrets still signing during their grace period. */
export function SecretPanel({ endpoint }: { endpoint: Endpoint }) {
  const client = useClient();
  const qc = useQueryClient();
  const [revealed, setRevealed] = useState(false);
  const [grace, setGrace] = useState<number>(86_400);
  const [confirming, setConfirming] = useState(false);
  const input = { id: endpoint.id };
  const secret = useRoute('endpoints.secret', input, { enabled: revealed, staleTime: 30_000 });
  const rotate = useRouteMutation('endpoints.rotateSecret', {
    invalidates: ['endpoints.secret', 'endpoints.get'],
    onSuccess: () => {
      setConfirming(false);
      setRevealed(true);
      toast('Secret rotated', 'success');
    },
  });

  const fetchSecret = async () =>
    (
      await qc.fetchQuery({
        queryKey: routeKey('endpoints.secret', input),
        queryFn: () => client.call('endpoints.secret', input),
      })
    ).secret;
  // fetched only once revealed: the page never holds a secret the user did not ask to see
  const olderSecrets = (revealed ? secret.data?.previous : undefined) ?? [];
  // GitHub's and Shopify's one signature header cannot carry the old secret's signature: no grace to choose
  const oneSignature = ONE_SIGNATURE_SCHEMES.includes(endpoint.scheme);
  const graceSeconds = oneSignature ? 0 : grace;
  const choice = graceChoices.find((g) => g.seconds === graceSeconds) ?? graceChoices[2];

  return (
    <section className="card secret-panel" aria-labelledby="secret-heading">
      <h3 id="secret-heading">Signing secret</h3>
      <div className="secret-row">
        <code className="secret-value" data-testid="endpoint-secret">
          {revealed ? (secret.data?.secret ?? 'Loading…') : MASK}
        </code>
        <button type="button" className="btn btn-sm" onClick={() => setRevealed((r) => !r)} aria-pressed={revealed}>
          {revealed ? 'Hide' : 'Reveal'}
        </button>
        <CopyButton text={fetchSecret} ariaLabel="Copy signing secret" />
      </div>
      {secret.error ? <ErrorText error={secret.error} /> : null}
      {olderSecrets.length > 0 ? (
        <div className="previous-secrets">
          <span className="label">Still signing (rotation grace period)</span>
          <ul>
            {olderSecrets.map((p) => (
              <li key={p.expiresAt + p.secret.slice(-6)}>
                <code className="secret-value secret-old">{p.secret}</code>
                <span className="muted">
                  expires <RelativeTime iso={p.expiresAt} />
                </span>
                <CopyButton text={p.secret} ariaLabel="Copy previous secret" />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {oneSignature ? (
        <p className="muted rotate-label">
          A {endpoint.scheme === 'github' ? 'GitHub' : 'Shopify'} signature carries one secret: once rotated, the old
          secret stops signing at once.
        </p>
      ) : (
        <label htmlFor="rotate-grace" className="label rotate-label">
          Keep the old secret signing
        </label>
      )}
      <div className="rotate-row">
        {oneSignature ? null : (
          <select id="rotate-grace" className="select" value={grace} onChange={(e) => setGrace(Number(e.target.value))}>
            {graceChoices.map((g) => (
              <option key={g.seconds} value={g.seconds}>
                {g.seconds === 0 ? 'No — revoke it now' : `for ${g.label}`}
              </option>
            ))}
          </select>
        )}
        <button type="button" className="btn" onClick={() => setConfirming(true)}>
          Rotate secret…
        </button>
      </div>
      {confirming ? (
        <ConfirmDialog
          title="Rotate signing secret?"
          message={
            <p>
              A new secret signs every delivery from now on; {choice.detail}. Update your receiver with the new secret
              {graceSeconds > 0 ? ' before the grace period ends.' : ', or it will reject deliveries.'}
            </p>
          }
          confirmLabel="Rotate secret"
          danger={graceSeconds === 0}
          busy={rotate.isPending}
          error={rotate.error ? <ErrorText error={rotate.error} /> : null}
          onCancel={() => setConfirming(false)}
          onConfirm={() => rotate.mutate({ id: endpoint.id, graceSeconds })}
        />
      ) : null}
    </section>
  );
}
