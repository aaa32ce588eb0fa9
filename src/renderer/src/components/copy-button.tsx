import { useEffect, useRef, useState } from 'react';

/** Copies with the async clipboard API, falling back to a hidden textarea (plain http origins lack it). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the legacy path
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

export interface CopyButtonProps {
  /** the text to copy (a function is called at click time and may fetch it) */
  text: string | (() => string | Promise<string>);
  /** button label; default "Copy" */
  label?: string;
  /** accessible name when the label alone is ambiguous, e.g. "Copy secret" */
  ariaLabel?: string;
  className?: string;
}

export function CopyButton({ text, label = 'Copy', ariaLabel, className = 'btn btn-sm' }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const onClick = async () => {
    let ok = false;
    try {
      ok = await copyText(typeof text === 'function' ? await text() : text);
    } catch {
      ok = false;
    }
    setState(ok ? 'copied' : 'failed');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button type="button" className={className} onClick={onClick} aria-label={ariaLabel}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? 'Copied to clipboard' : ''}
      </span>
    </button>
  );
}
