// The editor's problems as a list under it: what is wrong and where; a click puts the cursor there.
import type { ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { EditorSelection, EditorView } from '@uiw/react-codemirror';
import type { RefObject } from 'react';
import { type JsonProblem, lineColumn } from './json-problems';

export function ProblemList({
  problems,
  text,
  editor,
}: {
  problems: JsonProblem[];
  text: string;
  editor: RefObject<ReactCodeMirrorRef | null>;
}) {
  if (problems.length === 0) return null;
  const jump = (p: JsonProblem) => {
    const view = editor.current?.view;
    if (!view) return;
    const at = Math.min(p.from, view.state.doc.length);
    view.dispatch({ selection: EditorSelection.cursor(at), effects: EditorView.scrollIntoView(at, { y: 'center' }) });
    view.focus();
  };
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the list scrolls past 140 px; the keyboard must reach it (WCAG 2.1.1)
    <ul className="problem-list" aria-label="Problems" tabIndex={0}>
      {problems.map((p) => {
        const { line, column } = lineColumn(text, p.from);
        return (
          <li key={`${p.from}:${p.message}`} className={`problem problem-${p.kind}`}>
            <button type="button" className="problem-where mono" onClick={() => jump(p)} title="Go to the problem">
              {line}:{column}
            </button>
            <span className="problem-kind">{p.kind === 'syntax' ? 'Syntax' : 'Schema'}</span>
            <span className="problem-message">{p.message}</span>
          </li>
        );
      })}
    </ul>
  );
}
