// `hookbench replay --endpoint E --since 24h --server URL`: a running serve gives the endpoint the events of a time
// range it subscribes to and never got (endpoints.replayMissing), oldest first, and sends them; --dry-run counts.
// Exit 0 when replayed (or counted), 1 when the server is unreachable, the token wrong or the endpoint disabled by
// hand, 2 for a bad flag or an endpoint that is not there.
import { createClient } from '../../client';
import {
  type Endpoint,
  HookbenchError,
  hideUrlPassword,
  REPLAY_LIMIT,
  ReplayFlags,
  rangeRunsForward,
  sinceToIso,
} from '../../shared';
import { resolveEndpoints } from './endpoint-flag';
import { parseFlags, UsageError } from './flags';
import { requireServer, serverToken } from './run-target';

export interface ReplayIo {
  out(text: string): void;
}
const processIo: ReplayIo = { out: (t) => process.stdout.write(t) };

const events = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'event' : 'events'}`;

export async function runReplay(
  raw: Record<string, unknown>,
  io: ReplayIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
): Promise<number> {
  requireServer(raw, 'the URL of the running hookbench serve that sends the replayed events');
  const flags = parseFlags(ReplayFlags, raw);
  const token = serverToken(flags, env) as string;
  const since = sinceToIso(flags.since, now());
  // nothing fired yet can be missing: a future --since is a mistake (a date typed wrong), not an empty replay
  if (Date.parse(since) > now()) throw new UsageError(`--since: ${since} is in the future`);
  if (flags.until !== undefined && !rangeRunsForward(since, flags.until)) {
    throw new UsageError(`--until: must be after --since (${since})`);
  }
  const client = createClient({ baseUrl: flags.server, token });
  try {
    const endpoints = (await client.call('endpoints.list', {})).data;
    const [id] = resolveEndpoints([flags.endpoint], endpoints) as [string];
    const endpoint = endpoints.find((e) => e.id === id) as Endpoint;
    const out = await client.call('endpoints.replayMissing', {
      id,
      since,
      ...(flags.until !== undefined ? { until: flags.until } : {}),
      dryRun: flags.dryRun,
    });
    if (flags.json) {
      io.out(`${JSON.stringify({ endpointId: id, since, until: flags.until ?? null, ...out })}\n`);
      return 0;
    }
    // a Basic-auth password in the endpoint's URL is the receiver's credential: the summary never shows it
    const url = hideUrlPassword(endpoint.url);
    const name = endpoint.description.trim() ? `${endpoint.description} (${url})` : url;
    const range = `since ${since}${flags.until ? ` until ${flags.until}` : ''}`;
    if (out.events === 0) io.out(`Nothing missing for ${name} ${range}\n`);
    else if (out.dryRun) {
      io.out(
        `${out.truncated ? `More than ${events(REPLAY_LIMIT)}` : events(out.events)} would be replayed to ${name} ${range}\n`,
      );
    } else {
      io.out(`Replayed ${events(out.events)} to ${name} ${range}, oldest first; serve is sending them\n`);
      if (out.truncated) io.out('More are missing: run the same command again for the rest\n');
    }
    return 0;
  } catch (err) {
    // the endpoint went away meanwhile, or the server refused a flag: the caller's to fix (exit 2); else exit 1
    if (err instanceof HookbenchError && (err.code === 'not_found' || err.code === 'invalid_input')) {
      throw new UsageError(err.message);
    }
    throw err;
  } finally {
    client.close();
  }
}
