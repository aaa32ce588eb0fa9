import type { ErrorIssue } from '@shared';

/**
 * The engine's messages name settings as the API does; the UI names the control instead. Applied to every error
 * message and issue read through this file, so a field and a banner say the same.
 */
const uiWording: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bsettings\.allowLinkLocal\b/g, 'the Settings checkbox "Allow link-local and cloud metadata addresses"'],
];

/** An engine message (an error, an attempt's error text) in the UI's words. */
export function inUiWords(message: string): string {
  return uiWording.reduce((text, [api, ui]) => text.replace(api, ui), message);
}

/** Anything thrown by a call: an ApiError carries `code` and `issues`; other errors only a message. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return inUiWords(error.message);
  if (typeof error === 'string') return inUiWords(error);
  return 'Something went wrong';
}

export function errorIssues(error: unknown): ErrorIssue[] {
  const issues = (error as { issues?: unknown } | null)?.issues;
  return Array.isArray(issues) ? (issues as ErrorIssue[]).map((i) => ({ ...i, message: inUiWords(i.message) })) : [];
}

/** Issues keyed by dotted path (`retry.maxDelayMs`, `headers.X Bad`), first message wins. */
export function issuesByPath(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.map(String).join('.');
    if (!(key in out)) out[key] = i.message;
  }
  return out;
}

const pathOf = (issue: ErrorIssue) => issue.path.map(String).join('.');

/**
 * A server error's issues placed next to a form's fields: the first message of each field (`fieldOf` names the field
 * an issue path belongs to; null: no field shows it), and the paths whose message is shown there, for ErrorText's
 * `shownPaths` (a second issue of the same field is left to the banner).
 */
export function inlineIssues<F extends string>(
  error: unknown,
  fieldOf: (path: string) => F | null,
): { byField: Partial<Record<F, string>>; shownPaths: string[] } {
  const byField: Partial<Record<F, string>> = {};
  const shownPaths: string[] = [];
  for (const issue of errorIssues(error)) {
    const field = fieldOf(pathOf(issue));
    if (field === null) continue;
    byField[field] ??= issue.message;
    if (byField[field] === issue.message) shownPaths.push(pathOf(issue));
  }
  return { byField, shownPaths };
}

export interface ErrorTextProps {
  error: unknown;
  /** issue paths already shown next to their fields, left out here */
  shownPaths?: string[];
}

/**
 * An error's message and its issues, as an alert, saying nothing twice. The message of an error with issues sums
 * them up (the engine writes the first into it: "Invalid input at url: …"): it is left out when every issue is shown
 * next to its field, or when it repeats one that is; an issue the message already says is not listed again. No alert
 * when nothing is left to say.
 */
export function ErrorText({ error, shownPaths = [] }: ErrorTextProps) {
  if (!error) return null;
  const message = errorMessage(error);
  const says = (i: ErrorIssue) => i.message !== '' && message.includes(i.message);
  const all = errorIssues(error);
  const inline = (i: ErrorIssue) => shownPaths.includes(pathOf(i));
  const showMessage = !(all.length > 0 && all.every(inline)) && !all.some((i) => inline(i) && says(i));
  const issues = all.filter((i) => !inline(i) && !(showMessage && says(i)));
  if (!showMessage && issues.length === 0) return null;
  return (
    <div className="error-text" role="alert">
      {showMessage ? <span>{message}</span> : null}
      {issues.length > 0 ? (
        <ul>
          {issues.map((i) => (
            <li key={`${pathOf(i)}:${i.message}`}>
              {i.path.length > 0 ? <code>{pathOf(i)}</code> : null} {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
