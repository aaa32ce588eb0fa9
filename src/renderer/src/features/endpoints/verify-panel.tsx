// "Verify in your receiver": the code that checks this endpoint's signatures, for its scheme, in Node.js, Python or
// with the CLI (src/shared/verify-snippets.ts; each snippet is run against real deliveries in the tests).
import { type Endpoint, SNIPPET_LANGUAGES, type SnippetLanguage, verifySnippet } from '@shared';
import { useState } from 'react';
import { CopyButton, Tabs, tabPanelProps, useTabs } from '../../components';

export function VerifyPanel({ endpoint }: { endpoint: Endpoint }) {
  const [language, setLanguage] = useState<SnippetLanguage>('node');
  const ids = useTabs<SnippetLanguage>();
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
        <Tabs label="Language" tabs={SNIPPET_LANGUAGES} selected={language} onSelect={setLanguage} ids={ids} />
        <span className="spacer" />
        <CopyButton text={code} ariaLabel={`Copy the ${label} code`} />
      </div>
      <pre className="code-block verify-code" {...tabPanelProps(ids, language)}>
        <code>{code}</code>
      </pre>
    </details>
  );
}
