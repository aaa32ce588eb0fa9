// Preview, Send test (to one endpoint, now) and Send (fan-out, queued), with the reason when Send is off, and
// Send anyway when only schema violations hold it back (the API's `validate: false`).
import type { Endpoint } from '@shared';
import { comboLabel } from '../../app/shortcuts';
import { CopyButton } from '../../components';
import { useComposeStore } from './compose-store';
import { endpointLabel } from './targets';

export interface ComposeActionsProps {
  endpoints: Endpoint[];
  /** why nothing can be sent, or null */
  blocked: string | null;
  /** schema violations that hold back Send (but not Send anyway), or null */
  schemaNote: string | null;
  canTest: boolean;
  /** the `hookbench trigger` command that fires this event (browser UI over serve), or null */
  cliCommand: string | null;
  previewing: boolean;
  sending: boolean;
  testing: boolean;
  onPreview: () => void;
  onSend: () => void;
  onSendAnyway: () => void;
  onTest: () => void;
}

/**
 * Where "Send test" goes: the endpoint picked before while it exists, else the first enabled one (a test to a
 * disabled endpoint is refused), else the first.
 */
export function testTarget(endpoints: Endpoint[], pickedId: string | null): Endpoint | undefined {
  return endpoints.find((e) => e.id === pickedId) ?? endpoints.find((e) => e.enabled) ?? endpoints[0];
}

export function ComposeActions(p: ComposeActionsProps) {
  const testEndpointId = useComposeStore((s) => s.testEndpointId);
  const setTestEndpoint = useComposeStore((s) => s.setTestEndpoint);
  const selected = testTarget(p.endpoints, testEndpointId)?.id ?? '';
  const keys = comboLabel('mod+enter')[0]?.join(' ') ?? '';
  return (
    <div className="compose-actions card">
      <div className="row send-row">
        <button type="button" className="btn" onClick={p.onPreview} disabled={!!p.blocked || p.previewing}>
          {p.previewing ? 'Previewing…' : 'Preview'}
        </button>
        {p.cliCommand !== null ? (
          <CopyButton
            text={p.cliCommand}
            label="Copy as CLI"
            ariaLabel="Copy as CLI: the hookbench trigger command"
            className="btn"
          />
        ) : null}
        <span className="spacer" />
        {!p.blocked && p.schemaNote ? (
          <button type="button" className="btn" onClick={p.onSendAnyway} disabled={p.sending}>
            Send anyway
          </button>
        ) : null}
        <button
          type="button"
          className="btn btn-primary"
          onClick={p.onSend}
          disabled={!!p.blocked || !!p.schemaNote || p.sending}
          aria-describedby={p.blocked || p.schemaNote ? 'send-blocked' : undefined}
          title={`Send (${keys})`}
        >
          {p.sending ? 'Sending…' : 'Send'}{' '}
          <span className="kbd kbd-on-primary" aria-hidden="true">
            {keys}
          </span>
        </button>
      </div>
      {p.blocked || p.schemaNote ? (
        <p id="send-blocked" className="field-error send-blocked">
          {p.blocked ?? p.schemaNote}
        </p>
      ) : null}
      {p.endpoints.length > 0 ? (
        <div className="row test-row">
          <label htmlFor="test-endpoint" className="label">
            Test to
          </label>
          <select
            id="test-endpoint"
            className="select"
            value={selected}
            onChange={(e) => setTestEndpoint(e.target.value)}
          >
            {p.endpoints.map((e) => (
              <option key={e.id} value={e.id}>
                {endpointLabel(e)}
                {e.enabled ? '' : ' (disabled)'}
              </option>
            ))}
          </select>
          <button type="button" className="btn" onClick={p.onTest} disabled={!p.canTest || p.testing}>
            {p.testing ? 'Sending test…' : 'Send test'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
