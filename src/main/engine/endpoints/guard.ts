// Checks on where Hookbench may send and what it may send there that depend on stored state (settings, an
// endpoint's stored scheme), so the contract's schemas cannot make them alone. Refusals are 400s naming the field.
import {
  customHeaderIssues,
  type ErrorIssue,
  HookbenchError,
  linkLocalReason,
  type SchemeName,
  type Settings,
} from '../../../shared';

/** 400 when `url` is a link-local or metadata address and the settings do not allow them. */
export function assertTargetAllowed(url: string | null | undefined, field: string, settings: Settings): void {
  if (!url || settings.allowLinkLocal) return;
  const reason = linkLocalReason(url);
  if (reason) throw new HookbenchError('invalid_input', `${field}: ${reason}`, [{ path: [field], message: reason }]);
}

/** 400 when custom headers include framing or hop-by-hop headers or `scheme`'s own headers, naming each. */
export function assertHeadersAllowed(headers: Record<string, string>, scheme: SchemeName): void {
  const issues: ErrorIssue[] = customHeaderIssues(headers, scheme);
  if (issues.length > 0) {
    throw new HookbenchError(
      'invalid_input',
      `Invalid input at ${issues[0]?.path.join('.')}: ${issues[0]?.message}`,
      issues,
    );
  }
}
