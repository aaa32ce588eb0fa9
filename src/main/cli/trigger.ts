// `hookbench trigger TYPE`: fire one event into Hookbench's queue, as `stripe trigger` does: through a running serve
// (--server URL --token T) or on a database (serve's by default, or --db), to every endpoint that subscribes (or
// the --endpoint ones). Its data: --data, else the --profile fixture of TYPE (the provider's shape: not checked
// against the catalog type's schema), else the catalog type's example.
// Through serve it returns once the event is queued (serve sends it); on a database its own engine sends, so it
// waits for each delivery's first attempt. --wait waits until every delivery is final.
// Exit 0 when fired (with --wait: every delivery succeeded), 1 when --wait saw one fail, stay unsent within
// --timeout, or no endpoint to send to; 2 on bad usage or data the type's schema refuses (nothing is fired then).
import { WaitTimeoutError } from '../../client/errors';
import { waitUntil } from '../../client/waiters';
import {
  type Event,
  type EventDelivery,
  type EventDetail,
  EventTypeName,
  HookbenchError,
  hideUrlPassword,
  TriggerFlags,
} from '../../shared';
import { findFixture, getProfile, type ProfileName } from '../engine/profiles';
import { readDataFlag } from './data-flag';
import { resolveEndpoints } from './endpoint-flag';
import { parseFlags, UsageError } from './flags';
import { type ScenarioTarget, serveDataTarget, serverToken } from './run-target';

export interface TriggerIo {
  out(text: string): void;
  err(text: string): void;
}
const processIo: TriggerIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

const FINAL = new Set(['succeeded', 'failed', 'paused', 'cancelled']);
/** A delivery that has been tried once (or will not be): what a trigger on a database waits for without --wait. */
const attempted = (d: EventDelivery) => FINAL.has(d.status) || d.attemptCount > 0;
const final = (d: EventDelivery) => FINAL.has(d.status);

/** Errors of the caller's making: a bad type, data the schema refuses, an endpoint that is not there. */
const USAGE_CODES = new Set(['invalid_input', 'schema_violation', 'not_found', 'unprocessable']);

function fixtureTypes(profile: ProfileName): string {
  return (
    getProfile(profile)
      ?.fixtures.map((f) => f.type)
      .join(', ') ?? ''
  );
}

function describeDelivery(d: EventDelivery, names: Map<string, string>, now: number): string {
  const name = names.get(d.endpointId);
  // a Basic-auth password in the URL is the receiver's credential: a terminal (or CI log) need not show it
  const url = d.endpointUrl === null ? null : hideUrlPassword(d.endpointUrl);
  const where = name ? `${name} (${url ?? 'deleted'})` : (url ?? `${d.endpointId} (deleted)`);
  const last = d.lastStatus !== null ? `HTTP ${d.lastStatus}` : d.lastError !== null ? d.lastError : null;
  const took = d.lastDurationMs !== null ? ` in ${Math.round(d.lastDurationMs)} ms` : '';
  const tries = `${d.attemptCount} attempt${d.attemptCount === 1 ? '' : 's'}`;
  let how: string;
  if (d.status === 'paused') {
    how =
      d.pausedReason === 'endpoint_auto_disabled'
        ? 'its endpoint was disabled after failing; sent on re-enable'
        : 'its endpoint is disabled';
  } else if (d.status === 'sending')
    how =
      d.attemptCount > 0
        ? `${last}${took}; attempt ${d.attemptCount + 1} of ${d.maxAttempts} in flight`
        : 'attempt in flight';
  else if (d.status === 'pending' && d.attemptCount === 0) how = 'queued, not tried yet';
  else if (d.status === 'pending') {
    const next = d.nextAttemptAt ? Math.max(0, Math.round((Date.parse(d.nextAttemptAt) - now) / 1000)) : null;
    how = `${last}${took} (${d.attemptCount} of ${d.maxAttempts} attempts); next try${next === null ? ' pending' : ` in ${next} s`}`;
  } else how = last ? `${last}${took} (${tries})` : tries;
  return `  ${d.status.padEnd(9)}  ${where}  ${how}\n`;
}

/** Reads the event until `done` holds for every delivery or `timeoutMs` passes (then: as last read). */
async function settle(
  target: ScenarioTarget,
  eventId: string,
  done: (d: EventDelivery) => boolean,
  timeoutMs: number,
): Promise<EventDetail> {
  let last: EventDetail | null = null;
  try {
    return await waitUntil(
      target,
      ['delivery.updated'],
      (p) => (p as { eventId?: string }).eventId === eventId,
      async () => {
        last = await target.call('events.get', { id: eventId });
        return last.deliveries.every(done) ? last : null;
      },
      timeoutMs,
      () => '',
    );
  } catch (err) {
    if (err instanceof WaitTimeoutError && last) return last;
    throw err;
  }
}

export async function runTrigger(
  type: string | undefined,
  raw: Record<string, unknown>,
  io: TriggerIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (type === undefined) {
    const profile = typeof raw.profile === 'string' ? getProfile(raw.profile as ProfileName) : undefined;
    throw new UsageError(
      `give the event type to fire, e.g. hookbench trigger invoice.paid${profile ? ` (the ${profile.name} profile has: ${fixtureTypes(profile.name)})` : ''}`,
    );
  }
  const named = EventTypeName.safeParse(type);
  if (!named.success) throw new UsageError(`${type}: not an event type (${named.error.issues[0]?.message})`);
  const flags = parseFlags(TriggerFlags, raw);
  serverToken(flags, env);

  let data = readDataFlag(flags.data);
  // A provider fixture is the provider's own payload (Stripe's invoice for invoice.paid), not the catalog type
  // of the same name: it is fired unchecked, as `hookbench run` fires one, so `--profile stripe` just works.
  let validate = flags.validate;
  if (data === undefined && flags.profile) {
    const fixture = findFixture(flags.profile, type);
    if (!fixture) {
      throw new UsageError(
        `the ${flags.profile} profile has no fixture ${type} (it has: ${fixtureTypes(flags.profile)})`,
      );
    }
    data = fixture.data;
    validate = false;
  }

  const target = await serveDataTarget(flags, { missing: 'refuse' }, env);
  try {
    const endpoints = (await target.call('endpoints.list', {})).data;
    const endpointIds = flags.endpoint.length > 0 ? resolveEndpoints(flags.endpoint, endpoints) : undefined;
    if (data === undefined) {
      const known = (await target.call('eventTypes.list', {})).data.find((t) => t.name === type);
      if (!known) {
        throw new UsageError(`${type} is not in the catalog and no --profile fixture was asked for: give its --data`);
      }
      data = known.example;
    }

    let event: Event;
    try {
      event = await target.call('events.create', {
        type: type,
        data: data as never,
        endpointIds,
        validate,
        idempotencyKey: flags.idempotencyKey,
      });
    } catch (err) {
      if (!(err instanceof HookbenchError) || !USAGE_CODES.has(err.code)) throw err;
      if (err.code === 'schema_violation') {
        io.err(`hookbench: the data does not match the ${type} schema:\n`);
        for (const i of err.issues ?? []) io.err(`  ${i.message}\n`);
        io.err('Nothing was fired; --no-validate fires it anyway.\n');
      } else {
        io.err(`hookbench: ${err.message}\n`);
        for (const i of err.issues ?? []) io.err(`  ${i.path.join('.')}: ${i.message}\n`);
      }
      return 2;
    }

    // Through serve, its dispatcher sends; an engine of this command's own must send before it stops.
    const done = flags.wait ? final : flags.server ? null : attempted;
    const detail = done
      ? await settle(target, event.id, done, flags.timeout * 1000)
      : await target.call('events.get', { id: event.id });

    const waitedOut = done !== null && !detail.deliveries.every(done);
    const succeeded = detail.deliveries.every((d) => d.status === 'succeeded');
    if (flags.json) io.out(`${JSON.stringify(detail)}\n`);
    else {
      const n = detail.deliveries.length;
      io.out(`Fired ${detail.type} ${detail.id} to ${n} endpoint${n === 1 ? '' : 's'}\n`);
      const names = new Map(endpoints.filter((e) => e.description).map((e) => [e.id, e.description]));
      const now = Date.now();
      for (const d of detail.deliveries) io.out(describeDelivery(d, names, now));
    }
    if (detail.deliveries.length === 0) {
      io.err(
        endpointIds
          ? `hookbench: none of the endpoints given subscribes to ${detail.type} or is enabled: nothing to send\n`
          : `hookbench: no enabled endpoint subscribes to ${detail.type}: nothing to send\n`,
      );
      return flags.wait ? 1 : 0;
    }
    if (waitedOut) {
      const open = detail.deliveries.filter((d) => !done?.(d)).length;
      io.err(`hookbench: ${open} of ${detail.deliveries.length} deliveries still open after ${flags.timeout} s\n`);
    }
    if (!flags.server && detail.deliveries.some((d) => !FINAL.has(d.status))) {
      io.err('Deliveries left to retry are sent by the next engine on this database (hookbench serve).\n');
    }
    return flags.wait && (waitedOut || !succeeded) ? 1 : 0;
  } finally {
    await target.close();
  }
}
