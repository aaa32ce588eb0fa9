// `hookbench tail --server URL`: follow a running serve's deliveries as they move, one line each, as `stripe logs
// tail` does: every attempt's outcome (retrying, succeeded, failed), pauses (why) and cancellations; with --all also
// the queued and sending steps; an endpoint disabled, on stderr. Filters: --endpoint (id, URL or description), --type
// (a type or a family), --status.
// Runs until Ctrl+C (exit 0); a bad flag or endpoint exits 2, an unreachable server or a wrong token 1.
import { createClient } from '../../client';
import {
  type DeliveryStatus,
  type Endpoint,
  hideUrlPassword,
  subscribes,
  TailFlags,
  type TopicPayload,
} from '../../shared';
import { resolveEndpoints } from './endpoint-flag';
import { parseFlags } from './flags';
import { requireServer, serverToken } from './run-target';

export interface TailIo {
  out(text: string): void;
  err(text: string): void;
  /** resolves when the user stops the command (SIGINT/SIGTERM) */
  stopped(): Promise<void>;
}

const processIo: TailIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  stopped: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
};

type Update = TopicPayload<'delivery.updated'>;

/** What an update says, in words: the step a delivery just took (`disabledBy`: its endpoint's, for a pause). */
function what(u: Update, disabledBy: Endpoint['disabledBy']): string {
  const http = u.lastStatus !== null ? `HTTP ${u.lastStatus}` : 'no response';
  const tries = `${u.attemptCount} attempt${u.attemptCount === 1 ? '' : 's'}`;
  const of = (n: number) => `attempt ${n} of ${u.maxAttempts}`;
  switch (u.status) {
    case 'pending':
      return u.attemptCount === 0 ? 'queued' : `${http}, ${of(u.attemptCount)} failed: retrying`;
    case 'sending':
      return `${of(u.attemptCount + 1)} in flight`;
    case 'succeeded':
      return `${http} (${tries})`;
    case 'failed':
      return `${http} (${tries}, no retry left)`;
    case 'paused':
      return disabledBy === 'auto'
        ? 'paused: its endpoint was disabled after failing; sent when it is enabled'
        : 'paused: its endpoint is disabled';
    default:
      return u.attemptCount > 0 ? `cancelled after ${tries}` : 'cancelled';
  }
}

const clock = (d: Date) => d.toISOString().slice(11, 19);

export async function runTail(
  raw: Record<string, unknown>,
  io: TailIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  requireServer(raw, 'the URL of a running hookbench serve');
  const flags = parseFlags(TailFlags, raw);
  const token = serverToken(flags, env) as string;

  const client = createClient({ baseUrl: flags.server, token });
  try {
    // the first call says whether the server is there and the token right, before anything is promised
    let endpoints = (await client.call('endpoints.list', {})).data;
    const only = flags.endpoint.length > 0 ? new Set(resolveEndpoints(flags.endpoint, endpoints)) : null;
    const statuses = flags.status.length > 0 ? new Set<DeliveryStatus>(flags.status) : null;
    // a Basic-auth password in an endpoint's URL is the receiver's credential: the lines never show it
    const names = () => new Map(endpoints.map((e) => [e.id, e.description.trim() || hideUrlPassword(e.url)]));
    let nameOf = names();
    /** who disabled an endpoint, for its paused deliveries: read again when the list still says it is enabled */
    const disabledBy = async (id: string): Promise<Endpoint['disabledBy']> => {
      const known = endpoints.find((e) => e.id === id);
      if (known && !known.enabled) return known.disabledBy;
      const now = await client.call('endpoints.get', { id }).catch(() => null);
      if (now) endpoints = [...endpoints.filter((e) => e.id !== id), now];
      return now?.disabledBy ?? null;
    };
    // event types by event id: learnt from event.created, else read once; bounded for a tail left running for days
    const typeOf = new Map<string, string>();
    const remember = (eventId: string, type: string) => {
      if (typeOf.size >= 10_000) typeOf.clear();
      typeOf.set(eventId, type);
    };
    const typeFor = async (eventId: string): Promise<string> => {
      let type = typeOf.get(eventId);
      if (type === undefined) {
        type = await client.call('events.get', { id: eventId }).then(
          (e) => e.type,
          () => '?',
        );
        remember(eventId, type);
      }
      return type;
    };

    const show = async (u: Update) => {
      if (!flags.all && (u.status === 'sending' || (u.status === 'pending' && u.attemptCount === 0))) return;
      if (only && !only.has(u.endpointId)) return;
      if (statuses && !statuses.has(u.status)) return;
      const type = await typeFor(u.eventId);
      if (flags.type && !subscribes([flags.type], type)) return;
      const at = new Date();
      if (flags.json) {
        io.out(`${JSON.stringify({ at: at.toISOString(), type, ...u })}\n`);
        return;
      }
      const endpoint = nameOf.get(u.endpointId) ?? `${u.endpointId} (deleted)`;
      const by = u.status === 'paused' ? await disabledBy(u.endpointId) : null;
      io.out(`${clock(at)}  ${u.status.padEnd(9)}  ${type}  ${endpoint}  ${what(u, by)}  ${u.id}\n`);
    };

    // Lines in the order the updates came, whatever each one waits for (an event's type, read once).
    let queue = Promise.resolve();
    client.on('event.created', (e) => remember(e.id, e.type));
    client.on('delivery.updated', (u) => {
      queue = queue.then(() => show(u)).catch((err) => io.err(`hookbench: ${String(err)}\n`));
    });
    client.on('endpoint.updated', () => {
      // a failed read keeps the names known so far (and the queue going: the next line still prints)
      queue = queue
        .then(async () => {
          endpoints = (await client.call('endpoints.list', {})).data;
          nameOf = names();
        })
        .catch((err) => io.err(`hookbench: ${String(err)}\n`));
    });
    // why deliveries stop: an endpoint disabled (by a person, or after failing), said once, on stderr as a notice
    client.on('endpoint.disabled', (e) => {
      queue = queue.then(() => {
        if (only && !only.has(e.id)) return;
        const name = nameOf.get(e.id) ?? hideUrlPassword(e.url);
        const paused = `${e.pausedDeliveries} ${e.pausedDeliveries === 1 ? 'delivery' : 'deliveries'} paused`;
        io.err(`${clock(new Date())}  endpoint ${name} disabled: ${e.reason} (${paused} until it is enabled)\n`);
      });
    });
    client.on('stream.gap', (g) =>
      io.err(`(the stream missed ${g.dropped === null ? 'some' : g.dropped} updates: see the Deliveries page)\n`),
    );
    io.err(`Tailing deliveries on ${flags.server} (Ctrl+C to stop)\n`);
    await io.stopped();
    await queue;
    return 0;
  } finally {
    client.close();
  }
}
