import { type ReactNode, useMemo } from 'react';

export interface JsonViewProps {
  /** a value to pretty-print, or a string that is parsed as JSON when it is JSON and shown raw otherwise */
  value: unknown;
  /** cap on characters rendered with colours (huge bodies render plain, fast) */
  highlightLimit?: number;
  className?: string;
}

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

function highlight(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    const index = m.index ?? 0;
    if (index > last) out.push(text.slice(last, index));
    const [whole, str, colon, literal, num] = m;
    if (str !== undefined) {
      out.push(
        <span key={index} className={colon ? 'json-key' : 'json-string'}>
          {str}
        </span>,
      );
      if (colon) out.push(colon);
    } else if (literal !== undefined) {
      out.push(
        <span key={index} className="json-literal">
          {literal}
        </span>,
      );
    } else if (num !== undefined) {
      out.push(
        <span key={index} className="json-number">
          {num}
        </span>,
      );
    } else {
      out.push(whole);
    }
    last = index + whole.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Formats a value (or a JSON string) for display: 2-space indentation, no parse errors ever thrown. */
export function prettyJson(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  if (value === undefined) return '';
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** Pretty JSON in a monospace block with light syntax colouring. */
export function JsonView({ value, highlightLimit = 200_000, className = '' }: JsonViewProps) {
  const text = useMemo(() => prettyJson(value), [value]);
  const content = useMemo(() => (text.length <= highlightLimit ? highlight(text) : text), [text, highlightLimit]);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be focusable to scroll it by keyboard
    <pre className={`code-block json-view ${className}`} tabIndex={0}>
      {content}
    </pre>
  );
}
