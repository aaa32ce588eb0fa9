// The composer's JSON editor: CodeMirror with the JSON language, a syntax linter, and the schema problems the
// engine found (eventTypes.validate) underlined where they are.
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { tags } from '@lezer/highlight';
import CodeMirror, { EditorView, Prec, type ReactCodeMirrorRef, StateEffect } from '@uiw/react-codemirror';
import { type Ref, useEffect, useImperativeHandle, useMemo, useRef, useSyncExternalStore } from 'react';
import type { JsonProblem } from './json-problems';

const darkQuery = '(prefers-color-scheme: dark)';
function subscribeScheme(fn: () => void): () => void {
  const mq = window.matchMedia(darkQuery);
  mq.addEventListener?.('change', fn);
  return () => mq.removeEventListener?.('change', fn);
}
/** Follows the system theme, as the rest of the app does. */
function usePrefersDark(): boolean {
  return useSyncExternalStore(
    subscribeScheme,
    () => window.matchMedia(darkQuery).matches,
    () => false,
  );
}

/** Dispatched when the engine's verdict changes: the schema linter runs again on the text as it is. */
const schemaVerdict = StateEffect.define<null>();
const verdictArrived = (update: { transactions: readonly { effects: readonly StateEffect<unknown>[] }[] }) =>
  update.transactions.some((t) => t.effects.some((e) => e.is(schemaVerdict)));

/** Diagnostics for schema violations only; jsonParseLinter reports syntax errors. */
export function schemaDiagnostics(text: string, problems: readonly JsonProblem[]): Diagnostic[] {
  return problems
    .filter((p) => p.kind === 'schema')
    .map((p) => ({
      from: Math.min(p.from, text.length),
      to: Math.min(p.to, text.length),
      severity: 'error',
      source: 'schema',
      message: p.message,
    }));
}

const theme = EditorView.theme({
  '&': { fontSize: '12.5px', height: '100%' },
  '.cm-scroller': { fontFamily: 'var(--mono)' },
  '&.cm-focused': { outline: 'none' },
});

/**
 * The dark theme (One Dark) draws property names (#e06c75, 4.38:1) and line numbers (#7d8799, 3.86:1) below the
 * 4.5:1 WCAG AA asks for on its background: lighter shades of the same hues, on top of it.
 */
const darkContrast = [
  Prec.highest(syntaxHighlighting(HighlightStyle.define([{ tag: tags.propertyName, color: '#ef8f97' }]))),
  Prec.highest(EditorView.theme({ '.cm-gutters, .cm-gutterElement': { color: '#9aa4ae' } }, { dark: true })),
];

export interface JsonEditorProps {
  value: string;
  onChange: (text: string) => void;
  /** schema problems of the text, from the engine (placed by placeSchemaIssues) */
  schemaProblems: readonly JsonProblem[];
  /** accessible name of the text area */
  label: string;
  editorRef?: Ref<ReactCodeMirrorRef>;
}

export function JsonEditor({ value, onChange, schemaProblems, label, editorRef }: JsonEditorProps) {
  const dark = usePrefersDark();
  const inner = useRef<ReactCodeMirrorRef>(null);
  useImperativeHandle(editorRef, () => inner.current as ReactCodeMirrorRef, []);
  // the linter reads the latest problems; a new verdict from the engine lints again
  const problemsRef = useRef(schemaProblems);
  problemsRef.current = schemaProblems;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new verdict is exactly what should re-run it
  useEffect(() => {
    inner.current?.view?.dispatch({ effects: schemaVerdict.of(null) });
  }, [schemaProblems]);
  const extensions = useMemo(
    () => [
      json(),
      linter(jsonParseLinter(), { delay: 200 }),
      linter((view) => schemaDiagnostics(view.state.doc.toString(), problemsRef.current), {
        delay: 50,
        needsRefresh: verdictArrived,
      }),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': label }),
      theme,
      ...(dark ? darkContrast : []),
    ],
    [label, dark],
  );
  return (
    <CodeMirror
      ref={inner}
      className="json-editor"
      value={value}
      onChange={onChange}
      extensions={extensions}
      theme={dark ? 'dark' : 'light'}
      height="100%"
      basicSetup={{ foldGutter: true, highlightActiveLine: true, autocompletion: false, searchKeymap: true }}
    />
  );
}
