import type { InboxRequest } from '@shared';
import { CopyButton, JsonView, RelativeTime } from '../../components';
import { ResponseStatus, VerdictBadge } from './verdict-badge';

/** What the receiver keeps of a body (src/main/engine/receiver/capture.ts); larger bodies are cut. */
const CAPTURE_LIMIT = 1024 * 1024;

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** One captured request: verdict, what was answered, headers and the body (pretty when it is JSON). */
export function RequestDetail({ request }: { request: InboxRequest }) {
  const headers = Object.entries(request.headers);
  return (
    <section className="request-detail" aria-label="Request detail">
      <section className="stack">
        <div className="row">
          <strong className="mono">
            {request.method} {request.path}
          </strong>
        </div>
        <div className="row">
          <VerdictBadge verification={request.verification} />
          <span className="muted">answered</span>
          <ResponseStatus status={request.responseStatus} />
        </div>
        <dl className="kv">
          <dt>received</dt>
          <dd>
            <RelativeTime iso={request.receivedAt} /> <span className="muted">({request.receivedAt})</span>
          </dd>
          <dt>size</dt>
          <dd>
            {formatSize(request.size)}
            {request.size > CAPTURE_LIMIT ? ' (body cut to the first 1 MiB)' : ''}
          </dd>
          <dt>from</dt>
          <dd>{request.remote || '—'}</dd>
          {request.verification?.reason ? (
            <>
              <dt>verdict</dt>
              <dd>{request.verification.reason}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section aria-label="Request headers">
        <h3>Headers</h3>
        <dl className="kv">
          {headers.map(([k, v]) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-label="Request body">
        <div className="row">
          <h3>Body</h3>
          <span className="spacer" style={{ flex: 1 }} />
          <CopyButton text={request.body} label="Copy body" />
        </div>
        {request.body === '' ? <p className="muted">(empty body)</p> : <JsonView value={request.body} />}
      </section>
    </section>
  );
}
