// Runs one scenario against a target: applies its settings, sets up its endpoints (inboxes with response scripts
// or your URLs), runs the steps in order, and then leaves the target as it found it (settings restored, its
// endpoints and inboxes deleted). The scenario's retry policy and auto-disable threshold concern its own endpoints
// only: they become those endpoints' own (endpoints.retry, autoDisableThreshold), so a target's other endpoints keep
// theirs while it runs; the rest of its settings (concurrency, …) is the target's for the run.
import { setTimeout as sleep } from 'node:timers/promises';
import { WaitTimeoutError } from '../../client/errors';
import { waitUntil } from '../../client/waiters';
import {
  type Delivery,
  type EventType,
  HookbenchError,
  type Profile,
  type RetryPolicy,
  type Settings,
  type SettingsPatch,
} from '../../shared';
import type { FireStep, ResendStep, Scenario, ScenarioEndpoint, SetStep } from '../../shared/scenario';
import { mergeSettings } from '../engine/settings-logic';
import { Interrupted, unlessInterrupted } from './interrupt';
import { checkExpectation, expectationName } from './run-expect';
import type { ScenarioTarget } from './run-target';

export interface CaseResult {
  name: string;
  status: 'passed' | 'failed' | 'error' | 'skipped';
  /** why it failed, or the error */
  message?: string;
  durationMs: number;
}

export interface SuiteResult {
  file: string;
  name: string;
  startedAt: string;
  durationMs: number;
  cases: CaseResult[];
}

/** Progress while a scenario runs (the pretty reporter prints it). */
export interface RunProgress {
  suiteStarted(file: string, name: string): void;
  stepDone(text: string): void;
  caseDone(result: CaseResult): void;
  suiteDone(result: SuiteResult): void;
}

interface LiveEndpoint {
  endpointId: string;
  inboxId: string | null;
}

/** What a scenario's endpoints get unless they say otherwise: its retry policy (whole) and threshold, or null. */
interface EndpointDefaults {
  retry: RetryPolicy | null;
  autoDisableThreshold: number | null;
}

/**
 * A scenario's settings split: retry and autoDisable become its endpoints' own (over the target's current policy, so a
 * partial one is whole), the rest is applied to the target for the run (null: nothing to apply).
 */
export function splitScenarioSettings(
  settings: SettingsPatch | undefined,
  current: Settings,
): { defaults: EndpointDefaults; global: SettingsPatch | null } {
  const { retry, autoDisable, ...rest } = settings ?? {};
  // merged and validated as settings.update would: a policy that is not whole after the merge is refused here
  const merged = mergeSettings(current, { retry, autoDisable });
  return {
    defaults: {
      retry: retry ? merged.retry : null,
      autoDisableThreshold: autoDisable ? merged.autoDisable.threshold : null,
    },
    global: Object.keys(rest).length > 0 ? rest : null,
  };
}

const INTERRUPTED = 'interrupted: the run stopped here (its endpoints deleted, its settings restored)';
const interrupted = () => new Interrupted(INTERRUPTED);

const describeError = (err: unknown) =>
  err instanceof HookbenchError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);

async function createEndpoint(
  target: ScenarioTarget,
  scenario: Scenario,
  name: string,
  spec: ScenarioEndpoint,
  defaults: EndpointDefaults,
): Promise<LiveEndpoint> {
  const description = `hookbench run: ${scenario.name} / ${name}`.slice(0, 500);
  // its own policy, else the scenario's
  const policy = {
    retry: spec.retry ?? defaults.retry,
    autoDisableThreshold: spec.autoDisableThreshold ?? defaults.autoDisableThreshold,
  };
  if ('inbox' in spec) {
    const inbox = await target.call('inboxes.create', {
      name: description.slice(0, 200),
      script: spec.inbox,
      createEndpoint: { eventTypes: spec.eventTypes ?? ['*'], scheme: spec.scheme ?? 'standard', ...policy },
    });
    return { endpointId: inbox.endpointId as string, inboxId: inbox.id };
  }
  const endpoint = await target.call('endpoints.create', {
    url: spec.url,
    description,
    eventTypes: spec.eventTypes,
    scheme: spec.scheme,
    secret: spec.secret,
    headers: spec.headers,
    timeoutMs: spec.timeoutMs,
    ...policy,
  });
  return { endpointId: endpoint.id, inboxId: null };
}

/**
 * Runs `scenario`; `signal` (the run's SIGINT) stops it at the step it is in, and the target is then left as found all
 * the same.
 */
export async function runScenario(
  target: ScenarioTarget,
  file: string,
  scenario: Scenario,
  progress: RunProgress,
  signal?: AbortSignal,
): Promise<SuiteResult> {
  const started = Date.now();
  const suite: SuiteResult = {
    file,
    name: scenario.name,
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    cases: [],
  };
  progress.suiteStarted(file, scenario.name);
  const record = (c: CaseResult) => {
    suite.cases.push(c);
    progress.caseDone(c);
  };

  const live = new Map<string, LiveEndpoint>();
  const fired: { id: string; type: string; as?: string }[] = [];
  let profiles: Profile[] | null = null;
  let catalog: EventType[] | null = null;
  let savedSettings: Settings | null = null;
  let applied: SettingsPatch | null = null;
  let step = 0;
  let inSteps = false;

  const fire = async (f: FireStep) => {
    let type = f.type;
    let data = f.data;
    if (f.profile) {
      profiles ??= (await target.call('profiles.list', {})).data;
      const wanted = f.fixture ?? f.type;
      const fixture = profiles.find((p) => p.name === f.profile)?.fixtures.find((x) => x.type === wanted);
      if (!fixture) throw new HookbenchError('not_found', `the ${f.profile} profile has no fixture ${wanted}`);
      type ??= fixture.type;
      data ??= fixture.data;
    }
    if (data === undefined) {
      catalog ??= (await target.call('eventTypes.list', {})).data;
      data = catalog.find((t) => t.name === type)?.example ?? {};
    }
    const names = f.endpoints ?? [...live.keys()];
    // Only the scenario's endpoints: on a shared database or server, the user's own endpoints get nothing.
    const event = await target.call('events.create', {
      type: type as string,
      data,
      version: f.version,
      // a provider fixture has the provider's shape, not the catalog type's of the same name
      validate: f.validate ?? (f.profile ? false : undefined),
      endpointIds: names.map((n) => (live.get(n) as LiveEndpoint).endpointId),
    });
    fired.push({ id: event.id, type: event.type, as: f.as });
    progress.stepDone(`fired ${event.type} (${event.id}) to ${names.join(', ') || 'no endpoint'}`);
  };

  /** the event an expect or resend is about: its `as` name, else the last fired of its type, else the last fired */
  const eventFor = (e: { type?: string; event?: string }) => {
    const byType = e.type ? fired.filter((x) => x.type === e.type) : fired;
    return (e.event ? fired.find((x) => x.as === e.event) : byType.at(-1)) ?? null;
  };

  const resend = async (r: ResendStep) => {
    const event = eventFor(r);
    if (!event) throw new HookbenchError('not_found', 'no event was fired before this resend');
    const ep = live.get(r.endpoint) as LiveEndpoint;
    let seen: Delivery | undefined;
    const settled = await waitUntil(
      target,
      ['delivery.updated'],
      () => true,
      async () => {
        seen = (await target.call('deliveries.list', { eventId: event.id, endpointId: ep.endpointId, limit: 1 }))
          .data[0];
        return seen && seen.status !== 'pending' && seen.status !== 'sending' ? seen : null;
      },
      r.within,
      () => '',
    ).catch((err) => {
      if (!(err instanceof WaitTimeoutError)) throw err;
      throw new HookbenchError(
        'conflict',
        seen
          ? `the delivery of ${event.type} to ${r.endpoint} was still ${seen.status} after ${r.within} ms: nothing to resend yet`
          : `no delivery of ${event.type} to ${r.endpoint} (does its filter match?)`,
      );
    });
    await target.call('deliveries.retry', { id: settled.id });
    progress.stepDone(`resent ${event.type} (${event.id}) to ${r.endpoint}`);
  };

  const set = async (s: SetStep) => {
    const ep = live.get(s.endpoint) as LiveEndpoint;
    if (s.inbox && ep.inboxId) await target.call('inboxes.update', { id: ep.inboxId, script: s.inbox });
    if (s.enabled === true) await target.call('endpoints.enable', { id: ep.endpointId });
    if (s.enabled === false) await target.call('endpoints.disable', { id: ep.endpointId, reason: 'hookbench run' });
    progress.stepDone(`changed ${s.endpoint}`);
  };

  try {
    savedSettings = await target.call('settings.get', {});
    const { defaults, global } = splitScenarioSettings(scenario.settings, savedSettings);
    if (global) {
      applied = global;
      await target.call('settings.update', global);
    }
    for (const [name, spec] of Object.entries(scenario.endpoints))
      live.set(name, await createEndpoint(target, scenario, name, spec, defaults));

    inSteps = true;
    for (; step < scenario.steps.length; step++) {
      const s = scenario.steps[step];
      if (!s) break;
      if (signal?.aborted) throw interrupted();
      // The steps that wait (wait, expect, resend) give way to an interrupt; fire and set are single quick calls.
      if ('fire' in s) await fire(s.fire);
      else if ('set' in s) await set(s.set);
      else if ('resend' in s) await unlessInterrupted(resend(s.resend), signal, interrupted);
      else if ('wait' in s) {
        await sleep(s.wait, undefined, { signal }).catch((err: unknown) => {
          throw signal?.aborted ? interrupted() : err;
        });
        progress.stepDone(`waited ${s.wait} ms`);
      } else {
        const e = s.expect;
        const t0 = Date.now();
        const ep = live.get(e.endpoint) as LiveEndpoint;
        const failure = await unlessInterrupted(
          checkExpectation(
            target,
            { endpointName: e.endpoint, endpointId: ep.endpointId, inboxId: ep.inboxId, event: eventFor(e) },
            e,
          ),
          signal,
          interrupted,
        );
        record({
          name: expectationName(e),
          status: failure ? 'failed' : 'passed',
          ...(failure ? { message: failure } : {}),
          durationMs: Date.now() - t0,
        });
      }
    }
  } catch (err) {
    // A step the engine refused (or a lost server): the scenario cannot go on; what is left is skipped.
    const what = inSteps ? `step ${step + 1} (${Object.keys(scenario.steps[step] ?? {})[0]})` : 'setup';
    record({
      name: what,
      status: 'error',
      message: err instanceof Interrupted ? err.message : describeError(err),
      durationMs: 0,
    });
    for (const rest of scenario.steps.slice(inSteps ? step + 1 : 0))
      if ('expect' in rest) record({ name: expectationName(rest.expect), status: 'skipped', durationMs: 0 });
  } finally {
    // Leave the target as found: on a temporary database too, so one file's settings never leak into the next.
    for (const ep of live.values()) {
      if (ep.inboxId) await target.call('inboxes.delete', { id: ep.inboxId }).catch(() => {});
      await target.call('endpoints.delete', { id: ep.endpointId }).catch(() => {});
    }
    if (savedSettings && applied) await target.call('settings.update', savedSettings).catch(() => {});
  }
  suite.durationMs = Date.now() - started;
  progress.suiteDone(suite);
  return suite;
}
