import { useRoute } from '../lib/query';

/** Engine state, queue depth and endpoint health, always visible; push topics and a 5 s poll keep it fresh. */
export function StatusStrip() {
  const { data, isError, error } = useRoute('system.status', {}, { refetchInterval: 5_000 });
  // serve answers, but its database (PostgreSQL) does not: said as such, not as the engine being gone, and not
  // behind the last figures it read
  if (isError && error?.code === 'unavailable') {
    return (
      <section className="status-strip" aria-label="Engine status">
        <span className="strip-item strip-err" title={error.message}>
          <span className="dot dot-err" /> Database unreachable: retrying every 5 s
        </span>
      </section>
    );
  }
  if (isError && !data) {
    return (
      <section className="status-strip" aria-label="Engine status">
        <span className="strip-item strip-err">
          <span className="dot dot-err" /> Engine unreachable
        </span>
      </section>
    );
  }
  if (!data) {
    return (
      <section className="status-strip" aria-label="Engine status">
        <span className="strip-item">Connecting…</span>
      </section>
    );
  }
  const { queue, endpoints } = data;
  return (
    <section className="status-strip" aria-label="Engine status">
      <span className="strip-item" data-testid="engine-state">
        <span className={`dot ${data.running ? 'dot-ok' : 'dot-err'}`} />
        {data.running ? 'Engine running' : 'Engine stopped'}
      </span>
      <a className="strip-item" href="#/deliveries?status=pending" title="Waiting deliveries">
        Queue <strong>{queue.pending}</strong> pending · <strong>{queue.sending}</strong> sending
        {queue.paused > 0 ? (
          <>
            {' '}
            · <strong className="strip-warn">{queue.paused}</strong> paused
          </>
        ) : null}
      </a>
      {queue.failed > 0 ? (
        <a className="strip-item strip-err" href="#/deliveries?status=failed">
          <strong>{queue.failed}</strong> failed
        </a>
      ) : null}
      <a className="strip-item" href="#/endpoints">
        {endpoints.total} endpoint{endpoints.total === 1 ? '' : 's'}
        {endpoints.failing > 0 ? (
          <>
            {' '}
            · <strong className="strip-warn">{endpoints.failing}</strong> failing
          </>
        ) : null}
        {endpoints.disabled > 0 ? (
          <>
            {' '}
            · <strong className="strip-err">{endpoints.disabled}</strong> disabled
          </>
        ) : null}
      </a>
      <span className="spacer" />
      {data.inboxBaseUrl ? (
        <span className="strip-item mono" title="Built-in receiver">
          Inbox {data.inboxBaseUrl}
        </span>
      ) : null}
      <span className="strip-item">v{data.version}</span>
    </section>
  );
}
