import { type Endpoint, hideUrlPassword } from '@shared';
import type { ReactNode } from 'react';
import { CopyButton } from '../../components';
import { EndpointStatus } from './endpoint-cells';

/**
 * Two rows: breadcrumb and actions, then the URL across the full width. URLs are long (inbox URLs carry a
 * uuid) and one row shared with five buttons would leave a dozen characters at 1024 px.
 */
export function EndpointHeader({ endpoint, actions }: { endpoint: Endpoint; actions: ReactNode }) {
  return (
    <header className="page-header detail-header">
      <div className="detail-header-top">
        <nav aria-label="Breadcrumb" className="crumbs">
          <a href="#/endpoints" className="crumb">
            Endpoints
          </a>
          <span className="crumb-sep">/</span>
          <span className="crumb-current">{endpoint.description || 'Endpoint'}</span>
        </nav>
        <span className="spacer" />
        <div className="row">{actions}</div>
      </div>
      <div className="detail-header-url">
        <h1 className="mono detail-url" title={hideUrlPassword(endpoint.url)}>
          {hideUrlPassword(endpoint.url)}
        </h1>
        <CopyButton text={endpoint.url} label="Copy" ariaLabel="Copy URL" className="btn btn-ghost btn-sm" />
        <EndpointStatus endpoint={endpoint} />
      </div>
    </header>
  );
}
