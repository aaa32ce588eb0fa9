// The exact requests an event would send, one per target, signed, with Copy as curl.
import type { Endpoint, EventPreview } from '@shared';
import { CopyButton } from '../../components';
import { RequestView } from '../deliveries/http-parts';
import { buildCurl } from './curl';
import { endpointLabel } from './targets';

export interface PreviewPanelProps {
  preview: EventPreview;
  endpoints: Endpoint[];
  /** why the preview may not match the editor right now, or null */
  note: string | null;
  /** targets the event reaches only as paused deliveries (auto-disabled): nothing is signed for them now */
  keptPaused: readonly Endpoint[];
}

export function PreviewPanel({ preview, endpoints, note, keptPaused }: PreviewPanelProps) {
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  return (
    <section className="result-panel" aria-label="Preview">
      <div className="row result-head">
        <h2>
          Preview · {preview.requests.length} {preview.requests.length === 1 ? 'request' : 'requests'}
        </h2>
        <span className="spacer" />
        {note ? <span className="muted preview-note">{note}</span> : null}
      </div>
      {preview.requests.length === 0 ? (
        <p className="muted">
          No enabled endpoint would receive <code>{preview.envelope.type}</code>
          {keptPaused.length > 0 ? ' now.' : '. Subscribe an endpoint to it, or choose targets.'}
        </p>
      ) : null}
      {keptPaused.length > 0 ? (
        <p className="muted kept-paused-note">
          Kept paused, not sent now: {keptPaused.map(endpointLabel).join(', ')} (auto-disabled: signed and sent when
          enabled again).
        </p>
      ) : null}
      {preview.requests.map((req) => {
        const endpoint = byId.get(req.endpointId);
        const name = endpoint ? endpointLabel(endpoint) : req.url;
        return (
          <article key={req.endpointId} className="card preview-request" aria-label={`Request to ${name}`}>
            <div className="row">
              <strong className="preview-target">{name}</strong>
              {endpoint ? <span className="badge">{endpoint.scheme}</span> : null}
              <span className="spacer" />
              <CopyButton text={() => buildCurl(req)} label="Copy as curl" ariaLabel={`Copy as curl: ${name}`} />
            </div>
            <RequestView request={req} />
          </article>
        );
      })}
    </section>
  );
}
