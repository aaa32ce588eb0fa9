// One `expect` step: waits up to `within` for every condition to hold, re-checking on each push about the event
// or the endpoint, and otherwise reports what it saw ("expected 1 attempt, saw 2: 500 then 200").
import { WaitTimeoutError } from '../../client/errors';
import { waitUntil } from '../../client/waiters';
import type { Attempt } from '../../shared';
import type { ExpectStep } from '../../shared/scenario';
import type { ScenarioTarget } from './run-target';

export interface ExpectContext {
  endpointName: string;
  endpointId: string;
  inboxId: string | null;
  /** the event the expectation is about, or null when none was fired */
  event: { id: string; type: string } | null;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "500 then 200", "500 then connection refused" */
export function attemptSummary(attempts: Attempt[]): string {
  return attempts.map((a) => (a.response ? String(a.response.status) : (a.error ?? 'no response'))).join(' then ');
}

/** The test case's name: the step's own, else what it checks. */
export function expectationName(e: ExpectStep): string {
  if (e.name) return e.name;
  const parts: string[] = [];
  if (e.delivered === false) parts.push('not delivered');
  if (e.status) parts.push(e.status);
  if (e.attempts !== undefined) parts.push(plural(e.attempts, 'attempt'));
  if (e.response?.status !== undefined) parts.push(`response ${e.response.status}`);
  if (e.response?.bodyContains !== undefined) parts.push(`body has ${JSON.stringify(e.response.bodyContains)}`);
  if (e.verified !== undefined) parts.push(e.verified ? 'signature verified' : 'signature rejected');
  if (e.enabled !== undefined) parts.push(e.enabled ? 'endpoint enabled' : 'endpoint disabled');
  const what = e.event ?? e.type;
  return `${e.endpoint}${what ? ` ${what}` : ''}: ${parts.join(', ') || 'delivered'}`;
}

const deliveryConditions = (e: ExpectStep) =>
  e.delivered !== undefined ||
  e.status !== undefined ||
  e.attempts !== undefined ||
  e.response !== undefined ||
  e.verified !== undefined ||
  e.enabled === undefined; // an expect with no condition at all means "delivered"

/** The problems with the current state; empty when every condition holds. */
async function problems(target: ScenarioTarget, ctx: ExpectContext, e: ExpectStep): Promise<string[]> {
  const found: string[] = [];
  if (deliveryConditions(e)) {
    if (!ctx.event) return [`no event${e.type ? ` of type ${e.type}` : ''} was fired before this expect`];
    const list = await target.call('deliveries.list', { eventId: ctx.event.id, endpointId: ctx.endpointId, limit: 5 });
    const d = list.data[0];
    if (e.delivered === false) {
      if (d) found.push(`expected no delivery to ${ctx.endpointName}, saw one (${d.status})`);
    } else if (!d) {
      found.push(`expected a delivery of ${ctx.event.type} to ${ctx.endpointName}, saw none (does its filter match?)`);
    } else {
      const detail = await target.call('deliveries.get', { id: d.id });
      const attempts = detail.attempts;
      const saw = attempts.length > 0 ? `: ${attemptSummary(attempts)}` : '';
      if (e.status && detail.status !== e.status) found.push(`expected ${e.status}, saw ${detail.status}${saw}`);
      if (e.attempts !== undefined && attempts.length !== e.attempts)
        found.push(`expected ${plural(e.attempts, 'attempt')}, saw ${attempts.length}${saw}`);
      const last = attempts.at(-1);
      if (e.response) {
        if (!last) found.push('expected a response, saw no attempt yet');
        else if (e.response.status !== undefined && last.response?.status !== e.response.status)
          found.push(`expected response ${e.response.status}, saw ${attemptSummary([last])}`);
        else if (e.response.bodyContains !== undefined && !last.response?.body.includes(e.response.bodyContains))
          found.push(
            `expected the response body to contain ${JSON.stringify(e.response.bodyContains)}, saw ${JSON.stringify(last.response?.body.slice(0, 200) ?? '')}`,
          );
      }
      if (e.verified !== undefined && ctx.inboxId) {
        // The inbox's capture of the last attempt: the same body as sent.
        const captured = await target.call('inboxes.requests', { id: ctx.inboxId, limit: 100 });
        const req = last ? captured.data.find((r) => r.body === last.request.body) : undefined;
        if (!req) found.push('expected the inbox to have captured the request, saw none');
        else if ((req.verification?.verified ?? false) !== e.verified)
          found.push(
            `expected the signature ${e.verified ? 'verified' : 'rejected'}, saw it ${req.verification?.verified ? 'verified' : `rejected (${req.verification?.reason ?? 'no verification'})`}`,
          );
      }
    }
  }
  if (e.enabled !== undefined) {
    const endpoint = await target.call('endpoints.get', { id: ctx.endpointId });
    if (endpoint.enabled !== e.enabled)
      found.push(
        `expected the endpoint ${e.enabled ? 'enabled' : 'disabled'}, saw it ${endpoint.enabled ? 'enabled' : 'disabled'}`,
      );
  }
  return found;
}

/** Resolves to null when the expectation holds within its time, else to the message saying what was seen. */
export async function checkExpectation(
  target: ScenarioTarget,
  ctx: ExpectContext,
  e: ExpectStep,
): Promise<string | null> {
  let last: string[] = [];
  try {
    await waitUntil(
      target,
      ['delivery.updated', 'endpoint.updated', 'endpoint.disabled', 'inbox.request'],
      () => true,
      async () => {
        last = await problems(target, ctx, e);
        return last.length === 0 ? true : null;
      },
      e.within,
      () => last.join('; '),
    );
    return null;
  } catch (err) {
    if (err instanceof WaitTimeoutError) return `${last.join('; ')} (after ${e.within} ms)`;
    throw err;
  }
}
