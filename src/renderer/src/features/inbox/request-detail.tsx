import type { ForwardResult, InboxAnswer, InboxRequest } from '@shared';
import { CopyButton, JsonView, RelativeTime } from '../../components';
import { ForwardStatus, ResponseStatus, VerdictBadge } from './verdict-badge';

/** What the receiver keeps of a body (src/main/engine/receiver/capture.ts); larger bodies are cut. */
const CAPTURE_LIMIT = 1024 * 1024;

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export interface RequestDetailProps {
  request: InboxRequest;
  /** forwards this request to the forward URL; absent while no valid URL is set */
  onForward?: () => void;
  forwarding?: boolean;
}

/**
 * One captured request: verdict, what the inbox answered and, once forwarded, what the local server answered
 * beside it; headers and the body (pretty when it is JSON).
 */
export function RequestDetail({ request, onForward, forwarding = false }: RequestDetailProps) {
  const forward = request.forward ?? null;
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
        </div>
        <div className="answers">
          <div className="answer-cell">
            <span className="label">Inbox answered</span>
            <ResponseStatus status={request.responseStatus} />
          </div>
          <div className="answer-cell" data-testid="local-answer">
            <span className="label">Local server answered</span>
            <span className="row">
              <ForwardStatus forward={forward} />
              {forward ? <span className="muted">{forward.durationMs} ms</span> : null}
              <button
                type="button"
                className="btn btn-sm"
                disabled={!onForward || forwarding}
                title={onForward ? undefined : 'Set a valid URL under "Forward to" first'}
                onClick={onForward}
              >
                {forward ? 'Forward again' : 'Forward'}
              </button>
            </span>
          </div>
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
          <HeaderRows headers={request.headers} />
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
      {request.response ? <InboxAnswerView answer={request.response} /> : null}
      {forward ? <LocalAnswer forward={forward} /> : null}
    </section>
  );
}

/** What the inbox answered, as its script wrote it: the delay, the headers and the body. */
function InboxAnswerView({ answer }: { answer: InboxAnswer }) {
  return (
    <section aria-label="Inbox answer">
      <h3>Inbox answer</h3>
      <dl className="kv">
        {answer.delayMs > 0 ? (
          <>
            <dt>after</dt>
            <dd>{answer.delayMs} ms</dd>
          </>
        ) : null}
        <HeaderRows headers={answer.headers} />
      </dl>
      {answer.body === '' ? <p className="muted">(empty body)</p> : <JsonView value={answer.body} />}
    </section>
  );
}

function LocalAnswer({ forward }: { forward: ForwardResult }) {
  return (
    <section aria-label="Local answer">
      <h3>Local answer</h3>
      <dl className="kv">
        <dt>to</dt>
        <dd>{forward.url}</dd>
        <dt>at</dt>
        <dd>
          <RelativeTime iso={forward.forwardedAt} />
        </dd>
        {forward.error ? (
          <>
            <dt>error</dt>
            <dd>{forward.error}</dd>
          </>
        ) : null}
        <HeaderRows headers={forward.headers} />
      </dl>
      {forward.body !== '' ? <JsonView value={forward.body} /> : null}
      {forward.truncated ? <p className="muted">(answer cut to the first 64 KiB)</p> : null}
    </section>
  );
}

/** A header per row of a `kv` list (inside its <dl>). */
function HeaderRows({ headers }: { headers: Record<string, string> }) {
  return Object.entries(headers).map(([k, v]) => (
    <div key={k} style={{ display: 'contents' }}>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </div>
  ));
}
