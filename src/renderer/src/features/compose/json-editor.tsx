// The composer's JSON editor: CodeMirror with the JSON language, a syntax linter and a schema linter that
// underlines what violates the event type's JSON Schema.
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { tags } from '@lezer/highlight';
import CodeMirror, { EditorView, Prec, type ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { type Ref, useMemo, useSyncExternalStore } from 'react';
import { checkJson } from './json-problems';

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

/** Diagnostics for schema violations only; jsonParseLinter reports syntax errors. */
export function schemaDiagnostics(text: string, schema: Record<string, unknown> | null): Diagnostic[] {
  const result = checkJson(text, schema);
  if (!result.ok) return [];
  return result.problems.map((p) => ({
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
  /** the event type's JSON Schema, or null for none */
  schema: Record<string, unknown> | null;
  /** accessible name of the text area */
  label: string;
  editorRef?: Ref<ReactCodeMirrorRef>;
}

export function JsonEditor({ value, onChange, schema, label, editorRef }: JsonEditorProps) {
  const dark = usePrefersDark();
  const extensions = useMemo(
    () => [
      json(),
      linter(jsonParseLinter(), { delay: 200 }),
      linter((view) => schemaDiagnostics(view.state.doc.toString(), schema), { delay: 250 }),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': label }),
      theme,
      ...(dark ? darkContrast : []),
    ],
    [schema, label, dark],
  );
  return (
    <CodeMirror
      ref={editorRef}
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
