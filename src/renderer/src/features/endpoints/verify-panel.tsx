// "Verify in your receiver": the code that checks this endpoint's signatures, for its scheme, in Node.js, Python or
// with the CLI (src/shared/verify-snippets.ts; each snippet is run against real deliveries in the tests).
import { type Endpoint, SNIPPET_LANGUAGES, type SnippetLanguage, verifySnippet } from '@shared';
import { useId, useState } from 'react';
import { CopyButton } from '../../components';

export function VerifyPanel({ endpoint }: { endpoint: Endpoint }) {
  const [language, setLanguage] = useState<SnippetLanguage>('node');
  const baseId = useId();
  const code = verifySnippet(endpoint.scheme, language);
  const label = SNIPPET_LANGUAGES.find((l) => l.id === language)?.label ?? language;
  return (
    <details className="card verify-panel">
      <summary>
        <h3 className="verify-title">Verify signatures in your receiver</h3>
        <span className="muted">
          {' '}
          the {endpoint.scheme} scheme, no dependencies; the signing secret above goes in WEBHOOK_SECRET
        </span>
      </summary>
      <div className="row verify-tabs-row">
        <div className="tabs" role="tablist" aria-label="Language">
          {SNIPPET_LANGUAGES.map((l) => (
            <button
              key={l.id}
              type="button"
              role="tab"
              id={`${baseId}-${l.id}`}
              aria-controls={`${baseId}-panel`}
              aria-selected={language === l.id}
              className="tab"
              onClick={() => setLanguage(l.id)}
            >
              {l.label}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <CopyButton text={code} ariaLabel={`Copy the ${label} code`} />
      </div>
      <pre
        className="code-block verify-code"
        role="tabpanel"
        id={`${baseId}-panel`}
        aria-labelledby={`${baseId}-${language}`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe)
        tabIndex={0}
      >
        <code>{code}</code>
      </pre>
    </details>
  );
}
