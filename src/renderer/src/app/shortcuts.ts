// One global keydown handler and a registry: features register shortcuts with useShortcut, the help overlay
// lists them. Modified combos (mod+k, mod+enter) are matched in the capture phase so an editor that binds
// the same keys (CodeMirror binds Mod-Enter) cannot swallow them; plain keys are matched after the target
// had its chance, and skipped when it already handled the key (a combobox closing its own list on Esc).
import { useEffect, useRef } from 'react';

export interface ShortcutOptions {
  /** shown in the help overlay; shortcuts without one are not listed */
  description?: string;
  /** also fire while focus is in a text field (default: true for modified combos and Escape) */
  allowInInput?: boolean;
  /** register only while true (default true) */
  enabled?: boolean;
}

interface Entry {
  id: number;
  combo: string;
  steps: Step[];
  handler: (e: KeyboardEvent) => boolean | undefined;
  opts: ShortcutOptions;
}

interface Step {
  key: string;
  mod: boolean;
  shift: boolean;
  alt: boolean;
}

const SEQUENCE_TIMEOUT_MS = 1200;

/** `mod+k` -> steps; `g e` is a sequence of two steps. `mod` is Cmd on macOS and Ctrl elsewhere. */
export function parseCombo(combo: string): Step[] {
  return combo
    .trim()
    .split(/\s+/)
    .map((part) => {
      const keys = part.toLowerCase().split('+');
      const key = keys.pop() ?? '';
      return {
        key: key === 'esc' ? 'escape' : key,
        mod: keys.includes('mod') || keys.includes('ctrl') || keys.includes('cmd'),
        shift: keys.includes('shift'),
        alt: keys.includes('alt'),
      };
    });
}

function stepMatches(step: Step, e: KeyboardEvent): boolean {
  const key = e.key.toLowerCase();
  if (key !== step.key) return false;
  if (step.mod !== (e.metaKey || e.ctrlKey)) return false;
  if (step.alt !== e.altKey) return false;
  // `?` is typed with Shift on most layouts: for printable symbols the key itself carries the shift
  if (step.shift && !e.shiftKey) return false;
  return true;
}

export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(type);
}

const registry: Entry[] = [];
const listeners = new Set<() => void>();
let nextId = 1;
let pendingPrefix: { key: string; at: number } | null = null;
let installed = false;

function notify(): void {
  for (const fn of listeners) fn();
}

function allowedInInput(entry: Entry): boolean {
  if (entry.opts.allowInInput !== undefined) return entry.opts.allowInInput;
  const first = entry.steps[0];
  return entry.steps.length === 1 && !!first && (first.mod || first.key === 'escape');
}

function run(e: KeyboardEvent, phase: 'capture' | 'bubble'): void {
  if (e.isComposing) return;
  const typing = isTypingTarget(e.target);
  const now = Date.now();
  const prefix = pendingPrefix && now - pendingPrefix.at < SEQUENCE_TIMEOUT_MS ? pendingPrefix.key : null;
  // Most recently registered first: the topmost modal's Esc wins over the page's.
  for (let i = registry.length - 1; i >= 0; i--) {
    const entry = registry[i];
    if (!entry || entry.opts.enabled === false) continue;
    const first = entry.steps[0];
    if (!first) continue;
    const modified = entry.steps.length === 1 && first.mod;
    if ((phase === 'capture') !== modified) continue;
    if (phase === 'bubble' && e.defaultPrevented) return;
    if (typing && !allowedInInput(entry)) continue;
    let matched = false;
    if (entry.steps.length === 1) matched = stepMatches(first, e);
    else if (entry.steps.length === 2 && prefix === first.key && entry.steps[1])
      matched = stepMatches(entry.steps[1], e);
    if (!matched) continue;
    if (entry.handler(e) === false) continue;
    e.preventDefault();
    pendingPrefix = null;
    return;
  }
  if (phase !== 'bubble' || typing || e.metaKey || e.ctrlKey || e.altKey) return;
  // Remember a possible sequence prefix (`g` of `g e`).
  const key = e.key.toLowerCase();
  const isPrefix = registry.some((r) => r.steps.length === 2 && r.steps[0]?.key === key && r.opts.enabled !== false);
  pendingPrefix = isPrefix ? { key, at: now } : null;
}

const onCapture = (e: KeyboardEvent) => run(e, 'capture');
const onBubble = (e: KeyboardEvent) => run(e, 'bubble');

/** Installs the single global handler (idempotent). Returns the uninstall function. */
export function installShortcuts(target: Window = window): () => void {
  if (installed) return () => {};
  installed = true;
  target.addEventListener('keydown', onCapture, true);
  target.addEventListener('keydown', onBubble);
  return () => {
    installed = false;
    pendingPrefix = null;
    target.removeEventListener('keydown', onCapture, true);
    target.removeEventListener('keydown', onBubble);
  };
}

/**
 * Registers a shortcut. Return `false` from the handler to let the next registered shortcut (or the browser)
 * handle the key. Combos: `mod+k`, `mod+enter`, `escape`, `?`, sequences like `g e`.
 */
export function registerShortcut(
  combo: string,
  handler: (e: KeyboardEvent) => boolean | undefined,
  opts: ShortcutOptions = {},
): () => void {
  const entry: Entry = { id: nextId++, combo, steps: parseCombo(combo), handler, opts };
  registry.push(entry);
  notify();
  return () => {
    const i = registry.findIndex((r) => r.id === entry.id);
    if (i >= 0) registry.splice(i, 1);
    notify();
  };
}

/** Registers a shortcut for the lifetime of the component (the latest handler is always called). */
export function useShortcut(
  combo: string,
  handler: (e: KeyboardEvent) => boolean | undefined,
  opts: ShortcutOptions = {},
): void {
  const ref = useRef(handler);
  ref.current = handler;
  const { description, allowInInput, enabled = true } = opts;
  useEffect(() => {
    if (!enabled) return;
    return registerShortcut(combo, (e) => ref.current(e), { description, allowInInput });
  }, [combo, description, allowInInput, enabled]);
}

/** Currently registered shortcuts that have a description (for the help overlay). */
export function listShortcuts(): Array<{ combo: string; description: string }> {
  const seen = new Set<string>();
  const out: Array<{ combo: string; description: string }> = [];
  for (const r of registry) {
    if (!r.opts.description || seen.has(r.combo)) continue;
    seen.add(r.combo);
    out.push({ combo: r.combo, description: r.opts.description });
  }
  return out;
}

export function subscribeShortcuts(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export const isMac =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** `mod+k` -> `⌘ K` on macOS, `Ctrl K` elsewhere, as key caps. */
export function comboLabel(combo: string): string[][] {
  return parseCombo(combo).map((s) => {
    const caps: string[] = [];
    if (s.mod) caps.push(isMac ? '⌘' : 'Ctrl');
    if (s.alt) caps.push(isMac ? '⌥' : 'Alt');
    if (s.shift) caps.push('Shift');
    const names: Record<string, string> = { escape: 'Esc', enter: 'Enter', arrowup: '↑', arrowdown: '↓' };
    caps.push(names[s.key] ?? s.key.toUpperCase());
    return caps;
  });
}
