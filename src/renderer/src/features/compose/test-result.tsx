// What "Send test" got back: the attempt, inline, and a link to it in the delivery log.
import type { WebhookTestOutput } from '@shared';
import { hrefTo } from '../../app/router';
import { CopyButton } from '../../components';
import { deliveriesPath } from '../deliveries/filters';
import { AttemptOutcome, RequestView, ResponseView } from '../deliveries/http-parts';
import { buildCurl } from './curl';

export function TestResult({ result, target }: { result: WebhookTestOutput; target: string }) {
  const { attempt } = result;
  return (
    <section className="result-panel" aria-label="Test result">
      <div className="row result-head">
        <h2>Test to {target}</h2>
        <span className="spacer" />
        <CopyButton text={() => buildCurl(attempt.request)} label="Copy as curl" />
        {result.deliveryId ? (
          <a className="btn btn-sm" href={hrefTo(deliveriesPath({}, result.deliveryId))}>
            Open in Deliveries
          </a>
        ) : null}
      </div>
      <AttemptOutcome attempt={attempt} />
      <details className="result-section" open>
        <summary>Response</summary>
        <ResponseView attempt={attempt} />
      </details>
      <details className="result-section">
        <summary>Request</summary>
        <RequestView request={attempt.request} />
      </details>
    </section>
  );
}
