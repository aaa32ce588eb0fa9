// Compose: pick an event type or a provider fixture, edit its data with inline checks, choose targets,
// preview the exact signed requests, send (fan-out, queued) or send a test to one endpoint now.
import { type EventPreview, triggerCommand, type WebhookTestOutput } from '@shared';
import type { ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { useEffect, useRef, useState } from 'react';
import { hrefTo } from '../../app/router';
import { useShortcut } from '../../app/shortcuts';
import { dismissToast, EmptyState, ErrorText, PageHeader, toast } from '../../components';
import { useClient, useRouteMutation } from '../../lib/query';
import { deliveriesPath } from '../deliveries/filters';
import { AddEventType } from './add-event-type';
import { ComposeActions, testTarget } from './compose-actions';
import { type RecentSend, typeSource, useComposeStore } from './compose-store';
import { ImportEventTypes } from './import-event-types';
import { JsonEditor } from './json-editor';
import { PreviewPanel } from './preview-panel';
import { ProblemList } from './problem-list';
import { RecentSends } from './recent-sends';
import { SchemaDialog } from './schema-dialog';
import { SourcePicker } from './source-picker';
import { endpointLabel, keptPausedTargets, Targets } from './targets';
import { TestResult } from './test-result';
import { useComposer } from './use-composer';
import './compose.css';

type Result =
  | { kind: 'preview'; preview: EventPreview; key: string }
  | { kind: 'test'; output: WebhookTestOutput; target: string }
  | { kind: 'sent'; eventId: string; type: string; count: number; paused: number };

/** "2 endpoints", or "2 endpoints (1 kept paused: auto-disabled, sent when enabled again)" */
function sentTo(count: number, paused: number): string {
  const endpoints = `${count} ${count === 1 ? 'endpoint' : 'endpoints'}`;
  return paused > 0 ? `${endpoints} (${paused} kept paused: auto-disabled, sent when enabled again)` : endpoints;
}

export function ComposePage() {
  const c = useComposer();
  const client = useClient();
  const editor = useRef<ReactCodeMirrorRef>(null);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [showSchema, setShowSchema] = useState(false);
  // The "Cannot send" toast goes away as soon as what blocked the send is fixed.
  const blockedToast = useRef<number | null>(null);
  useEffect(() => {
    if (blockedToast.current !== null && !c.blocked) {
      dismissToast(blockedToast.current);
      blockedToast.current = null;
    }
  }, [c.blocked]);
  const [result, setResult] = useState<Result | null>(null);
  const setSource = useComposeStore((s) => s.setSource);
  const setDraft = useComposeStore((s) => s.setDraft);
  const resetDraft = useComposeStore((s) => s.resetDraft);
  const addRecent = useComposeStore((s) => s.addRecent);
  const testEndpointId = useComposeStore((s) => s.testEndpointId);

  const preview = useRouteMutation('events.preview');
  const send = useRouteMutation('events.create', { invalidates: ['events.list', 'deliveries.list', 'system.status'] });
  const test = useRouteMutation('webhooks.test', { invalidates: ['deliveries.list', 'endpoints.list'] });
  const inputKey = JSON.stringify(c.input);
  const busy = send.isPending;

  // One outcome at a time: starting an action clears the others' errors.
  const only = (keep: { reset: () => void }) => {
    for (const m of [preview, send, test]) if (m !== keep) m.reset();
  };
  const doPreview = () => {
    if (!c.input) return;
    only(preview);
    const key = inputKey;
    preview.mutate(c.input, { onSuccess: (p) => setResult({ kind: 'preview', preview: p, key }) });
  };
  /** anyway: a workbench sends a payload that breaks its schema on purpose (the engine skips its check) */
  const doSend = (anyway = false) => {
    if (!c.input || c.blocked || busy || !c.source) return;
    if (c.violations > 0 && !anyway) return;
    only(send);
    const source = c.source;
    const text = c.text;
    send.mutate(anyway ? { ...c.input, validate: false } : c.input, {
      onSuccess: (event) => {
        const count = event.deliveries?.length ?? 0;
        const paused = event.deliveries?.filter((d) => d.status === 'paused').length ?? 0;
        setResult({ kind: 'sent', eventId: event.id, type: event.type, count, paused });
        addRecent({ eventId: event.id, source, type: event.type, text, sentAt: event.createdAt, deliveryCount: count });
        toast(
          count > 0
            ? `Sent ${event.type} (${event.id}) to ${sentTo(count, paused)}`
            : `${event.type} (${event.id}) stored; no endpoint receives it`,
          count > paused ? 'success' : 'info',
        );
      },
    });
  };
  const doTest = () => {
    const endpoint = testTarget(c.endpoints, testEndpointId);
    if (!c.info || !c.check.ok || !endpoint) return;
    only(test);
    test.mutate(
      { endpointId: endpoint.id, type: c.info.type, data: c.check.value },
      { onSuccess: (output) => setResult({ kind: 'test', output, target: endpointLabel(endpoint) }) },
    );
  };
  // An open preview follows the data and the targets as they change, once they are valid again.
  const previewRef = useRef(doPreview);
  previewRef.current = doPreview;
  const stalePreview = result?.kind === 'preview' && result.key !== inputKey;
  useEffect(() => {
    if (!stalePreview || c.blocked) return;
    const t = setTimeout(() => previewRef.current(), 400);
    return () => clearTimeout(t);
  }, [stalePreview, c.blocked]);

  const loadRecent = (r: RecentSend) => {
    setSource(r.source);
    setDraft(r.source, r.text);
    setResult(null);
  };

  useShortcut(
    'mod+enter',
    () => {
      if (c.blocked) {
        if (blockedToast.current !== null) dismissToast(blockedToast.current);
        blockedToast.current = toast(`Cannot send: ${c.blocked}`, 'error');
      } else if (c.schemaNote) toast(`Cannot send: ${c.schemaNote} (or use Send anyway)`, 'error');
      else doSend();
      return true;
    },
    { description: 'Send the event (Compose)' },
  );

  const header = (
    <PageHeader
      title="Compose"
      actions={
        <>
          <SourcePicker
            value={c.info ? c.source : null}
            onChange={setSource}
            eventTypes={c.types}
            uncatalogued={c.uncatalogued}
            profiles={c.profiles}
          />
          <button type="button" className="btn" onClick={() => setAdding(true)}>
            Add event type
          </button>
          <button type="button" className="btn" onClick={() => setImporting(true)}>
            Import
          </button>
        </>
      }
    />
  );
  if (c.loadError && c.loading) {
    return (
      <>
        {header}
        <div className="page-body">
          <ErrorText error={c.loadError} />
        </div>
      </>
    );
  }
  const serverError = [send, test, preview].find((m) => m.error)?.error ?? null;

  return (
    <>
      {header}
      <div className="page-body compose-body">
        <section className="editor-pane" aria-label="Event data">
          {c.info ? (
            <div className="row editor-head">
              <code className="editor-type">{c.info.type}</code>
              <span className="muted editor-desc" title={c.info.origin}>
                {c.info.description}
              </span>
              <span className="spacer" />
              {c.info.schema ? (
                <button
                  type="button"
                  className="badge badge-info badge-button"
                  title="Show the JSON Schema the data is checked against"
                  onClick={() => setShowSchema(true)}
                >
                  JSON Schema
                </button>
              ) : null}
              {c.info.uncatalogued ? (
                <button
                  type="button"
                  className="btn btn-sm"
                  title="Add this type to the catalog, with the data being composed as its example"
                  onClick={() => setAdding(true)}
                >
                  Add to catalog
                </button>
              ) : null}
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                disabled={!c.edited}
                onClick={() => c.source && resetDraft(c.source)}
                title="Load the template again"
              >
                Reset to template
              </button>
            </div>
          ) : null}
          <div className="editor-frame">
            {c.info && c.source ? (
              <JsonEditor
                editorRef={editor}
                value={c.text}
                onChange={(text) => c.source && setDraft(c.source, text)}
                schemaProblems={c.problems}
                label="Event data (JSON)"
              />
            ) : (
              <EmptyState title={c.loading ? 'Loading the catalog…' : 'No event types'} />
            )}
          </div>
          <ProblemList problems={c.checking || !c.info ? [] : c.problems} text={c.text} editor={editor} />
        </section>

        <section className="side-pane" aria-label="Send">
          {c.info ? <Targets endpoints={c.endpoints} type={c.info.type} /> : null}
          <ComposeActions
            endpoints={c.endpoints}
            blocked={c.blocked}
            schemaNote={c.schemaNote}
            canTest={!!c.info && c.check.ok && c.endpoints.length > 0}
            cliCommand={
              client.kind === 'http' && c.input && !c.blocked
                ? triggerCommand(c.input, { server: window.location.origin, validate: !c.schemaNote })
                : null
            }
            previewing={preview.isPending}
            sending={busy}
            testing={test.isPending}
            onPreview={doPreview}
            onSend={() => doSend()}
            onSendAnyway={() => doSend(true)}
            onTest={doTest}
          />
          {serverError ? <ErrorText error={serverError} /> : null}
          {result?.kind === 'sent' ? (
            <div className="banner banner-info sent-banner" role="status">
              <span>
                Sent <code>{result.type}</code> · <code>{result.eventId}</code> to {sentTo(result.count, result.paused)}
              </span>
              <span className="spacer" />
              <a href={hrefTo(deliveriesPath({ eventId: result.eventId }))}>View deliveries</a>
            </div>
          ) : null}
          {result?.kind === 'preview' ? (
            <PreviewPanel
              preview={result.preview}
              endpoints={c.endpoints}
              keptPaused={keptPausedTargets(c.endpoints, result.preview.envelope.type, c.input?.endpointIds)}
              note={
                !stalePreview
                  ? null
                  : c.blocked
                    ? 'Showing the last valid data'
                    : preview.isPending
                      ? 'Updating…'
                      : null
              }
            />
          ) : null}
          {result?.kind === 'test' ? <TestResult result={result.output} target={result.target} /> : null}
          <RecentSends onLoad={loadRecent} />
        </section>
      </div>
      {showSchema && c.info?.schema ? (
        <SchemaDialog type={c.info.type} schema={c.info.schema} onClose={() => setShowSchema(false)} />
      ) : null}
      {adding ? (
        <AddEventType
          onClose={() => setAdding(false)}
          initialExample={c.check.ok ? c.text : '{}'}
          initialName={c.info?.uncatalogued ? c.info.type : ''}
          onCreated={(t) => {
            setAdding(false);
            setSource(typeSource(t.name));
            toast(`Added event type ${t.name}`, 'success');
          }}
        />
      ) : null}
      {importing ? (
        <ImportEventTypes
          onClose={() => setImporting(false)}
          onImported={(r) => {
            setImporting(false);
            const n = r.created.length + r.updated.length;
            toast(`Imported ${n} event type${n === 1 ? '' : 's'}`, 'success');
          }}
        />
      ) : null}
    </>
  );
}
