// Pieces of an HTTP exchange shown by the inspector, the composer's preview and its test result.
import { type Attempt, type AttemptTiming, hideUrlPassword } from '@shared';
import { Duration, formatDuration, inUiWords, JsonView, StatusBadge } from '../../components';
import './http-parts.css';

/** Headers that carry or feed a webhook signature: highlighted so they are found at a glance. */
const SIGNATURE_HEADERS = new Set([
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'stripe-signature',
  'x-hub-signature-256',
  'x-hub-signature',
  'x-shopify-hmac-sha256',
]);

export const isSignatureHeader = (name: string) => SIGNATURE_HEADERS.has(name.toLowerCase());

export function HeaderList({ headers, label }: { headers: Record<string, string>; label: string }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p className="muted">No headers</p>;
  return (
    <dl className="kv header-list" aria-label={label}>
      {entries.map(([name, value]) => (
        <div key={name} className={isSignatureHeader(name) ? 'kv-row signature-header' : 'kv-row'}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A body as text: pretty JSON when it parses, raw otherwise; the marker says when it was cut. */
export function BodyView({ body, truncated = false, label }: { body: string; truncated?: boolean; label: string }) {
  return (
    <section aria-label={label} className="body-view">
      {body === '' ? <p className="muted">Empty body</p> : <JsonView value={body} />}
      {truncated ? (
        <p className="truncated-marker" role="note">
          Truncated: only the first 64 KiB of the body were kept.
        </p>
      ) : null}
    </section>
  );
}

/** "200 OK"-style code with a colour per class; "No response" when the request never got one. */
export function HttpStatus({ status }: { status: number | null | undefined }) {
  if (status == null) return <span className="http-status http-none">—</span>;
  return <span className={`http-status http-${Math.floor(status / 100)}xx`}>{status}</span>;
}

/** The outcome line of one attempt: badge, status code, duration, error. */
export function AttemptOutcome({ attempt }: { attempt: Attempt }) {
  return (
    <div className="attempt-outcome row">
      <StatusBadge status={attempt.succeeded ? 'succeeded' : 'failed'} />
      <HttpStatus status={attempt.response?.status} />
      <Duration ms={attempt.durationMs} />
      {attempt.error ? <span className="attempt-error">{inUiWords(attempt.error)}</span> : null}
    </div>
  );
}

/** The response side of an attempt: status, headers, body with the truncated marker, duration and error. */
export function ResponseView({ attempt }: { attempt: Attempt }) {
  const res = attempt.response;
  return (
    <div className="stack">
      <dl className="kv">
        <dt>Status</dt>
        <dd>
          <HttpStatus status={res?.status} /> {res ? null : <span className="muted">no response</span>}
        </dd>
        <dt>Duration</dt>
        <dd>
          <Duration ms={attempt.durationMs} />
        </dd>
        {res?.timing ? (
          <>
            <dt>Timing</dt>
            <dd>
              <TimingView timing={res.timing} />
            </dd>
          </>
        ) : null}
        {attempt.error ? (
          <>
            <dt>Error</dt>
            <dd className="attempt-error">{inUiWords(attempt.error)}</dd>
          </>
        ) : null}
      </dl>
      {res ? (
        <>
          <h3>Headers</h3>
          <HeaderList headers={res.headers} label="Response headers" />
          <h3>Body</h3>
          <BodyView body={res.body} truncated={res.truncated} label="Response body" />
        </>
      ) : null}
    </div>
  );
}

/**
 * The request side: method and URL, headers (signature ones highlighted), body. A URL's `user:password@` is shown as
 * `user:•••@`: it never goes on the wire (it is sent as the Authorization header, listed below).
 */
export function RequestView({
  request,
}: {
  request: { method: string; url: string; headers: Record<string, string>; body: string };
}) {
  return (
    <div className="stack">
      <div className="request-line mono">
        <strong>{request.method}</strong> <span className="request-url">{hideUrlPassword(request.url)}</span>
      </div>
      <h3>Headers</h3>
      <HeaderList headers={request.headers} label="Request headers" />
      <h3>Body</h3>
      <BodyView body={request.body} label="Request body" />
    </div>
  );
}

const PHASES = [
  { key: 'connectMs', label: 'Connection', hint: 'a new connection: TCP connect and TLS; a kept-alive one: ~0' },
  { key: 'waitMs', label: 'Waiting', hint: 'from sending the request to the first byte of the response' },
  { key: 'downloadMs', label: 'Download', hint: 'reading the response body' },
] as const;

/** Where an exchange's time went, as a bar and in words (the bar is for the eye; the words say it all). */
export function TimingView({ timing }: { timing: AttemptTiming }) {
  const total = timing.connectMs + timing.waitMs + timing.downloadMs;
  return (
    <div className="timing">
      <div className="timing-bar" aria-hidden="true">
        {PHASES.map((p) => (
          <span
            key={p.key}
            className={`timing-${p.key}`}
            style={{ flexGrow: total > 0 ? timing[p.key] / total : 1 / 3 }}
          />
        ))}
      </div>
      <ul className="timing-legend">
        {PHASES.map((p) => (
          <li key={p.key} title={p.hint}>
            <span className={`timing-swatch timing-${p.key}`} aria-hidden="true" />
            {p.label} {formatDuration(timing[p.key])}
          </li>
        ))}
      </ul>
    </div>
  );
}
