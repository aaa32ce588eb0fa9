import type { ErrorIssue } from '@shared';

/** Anything thrown by a call: an ApiError carries `code` and `issues`; other errors only a message. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'Something went wrong';
}

export function errorIssues(error: unknown): ErrorIssue[] {
  const issues = (error as { issues?: unknown } | null)?.issues;
  return Array.isArray(issues) ? (issues as ErrorIssue[]) : [];
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

export interface ErrorTextProps {
  error: unknown;
  /** issue paths already shown next to their fields, left out here */
  shownPaths?: string[];
}

/** An error's message and any issues not already shown inline, as an alert. */
export function ErrorText({ error, shownPaths = [] }: ErrorTextProps) {
  if (!error) return null;
  const issues = errorIssues(error).filter((i) => !shownPaths.includes(i.path.map(String).join('.')));
  return (
    <div className="error-text" role="alert">
      <span>{errorMessage(error)}</span>
      {issues.length > 0 ? (
        <ul>
          {issues.map((i) => (
            <li key={`${i.path.join('.')}:${i.message}`}>
              {i.path.length > 0 ? <code>{i.path.join('.')}</code> : null} {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
