// Topics across processes on one PostgreSQL database: what one process's engine emits (a delivery's new state, a
// captured request), the others' UIs and SSE streams hear. NOTIFY on one channel; every relay LISTENs on its own
// dedicated connection (not a pool client: a LISTEN lives as long as its session, and pool clients rotate).
//
// Each relay has a random sender id, sent with every notification, so a relay drops its own (its engine emitted
// them locally already). PostgreSQL refuses NOTIFY payloads of 8000 bytes or more: a larger topic (an
// inbox.request with a big body) is sent as {topic, ref} with the payload's id instead, and receivers refetch it.
// Notifications sent while a listener is disconnected are lost; after reconnecting, the relay hands its receiver
// a `stream.gap` so that whoever shows state refetches it.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { isTopicName, type TopicName, topics } from '../../../../shared';
import type { Logger } from '../../types';
import { type Queryable, redactPgUrl } from './pool';

export const TOPIC_CHANNEL = 'hookbench_topics';
/** NOTIFY's payload must be shorter than this many bytes */
const NOTIFY_LIMIT = 8000;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export interface RelayedTopic {
  topic: TopicName;
  /** the topic's payload, parsed with its schema; null when it was too large to relay (then `ref` names it) */
  payload: unknown;
  /** the id of a payload too large to relay: refetch it by this id (null when `payload` is given) */
  ref: string | null;
}

const Item = z.object({
  topic: z.string().refine(isTopicName, { message: 'unknown topic' }),
  payload: z.unknown().optional(),
  ref: z.string().nullable().optional(),
});
const Envelope = z.union([
  Item.extend({ from: z.string().min(1) }),
  // publishMany: the topics of one batch (an engine's pass emits dozens) in one notification
  z.object({ from: z.string().min(1), batch: z.array(Item).min(1) }),
]);

/** A channel name as an SQL identifier (LISTEN takes no parameter). */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The id a receiver refetches an oversized payload by: its own id, or the captured request's. */
function refOf(payload: unknown): string | null {
  const p = payload as { id?: unknown; requestId?: unknown; request?: { id?: unknown } } | null;
  for (const id of [p?.id, p?.requestId, p?.request?.id]) if (typeof id === 'string') return id;
  return null;
}

export interface TopicRelayOptions {
  log: Logger;
  /**
   * other channels heard on the same listening session, each with its handler of the raw payload (the catalog's and
   * the inbox's change notices); after a reconnect their receivers learn of the gap through `stream.gap` too
   */
  channels?: Record<string, (payload: string) => void>;
  /** first wait before re-listening after the connection dropped (doubling up to maxBackoffMs) */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class PgTopicRelay {
  /** this relay's sender id: notifications carrying it are its own */
  readonly sender = randomUUID();
  private listener: pg.Client | null = null;
  private onTopic: ((t: RelayedTopic) => void) | null = null;
  private stopped = false;
  private backoffMs: number;
  private timer: NodeJS.Timeout | null = null;
  /** the listening session's backend PID (null while disconnected) */
  listenerPid: number | null = null;

  /** `pool`: publishes go through it; the listener connects with the same options, on a client of its own */
  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: TopicRelayOptions,
  ) {
    this.backoffMs = opts.minBackoffMs ?? RECONNECT_MIN_MS;
  }

  /**
   * Sends a topic to the other processes. `db`: the pool (sent at once), or a client in a transaction: PostgreSQL
   * then sends it at COMMIT, and never if the transaction rolls back, so others hear only of changes that happened.
   */
  async publish(topic: TopicName, payload: unknown, db: Queryable = this.pool): Promise<void> {
    let message = JSON.stringify({ from: this.sender, topic, payload });
    if (Buffer.byteLength(message) >= NOTIFY_LIMIT) {
      message = JSON.stringify({ from: this.sender, topic, ref: refOf(payload) });
    }
    await db.query('SELECT pg_notify($1, $2)', [TOPIC_CHANNEL, message]);
  }

  /**
   * Sends many topics in as few notifications as fit under NOTIFY's limit (one NOTIFY per topic would cost a round
   * trip each: an engine's pass emits dozens). A topic too large on its own goes as {topic, ref}.
   */
  async publishMany(
    items: ReadonlyArray<{ topic: TopicName; payload: unknown }>,
    db: Queryable = this.pool,
  ): Promise<void> {
    const head = `{"from":${JSON.stringify(this.sender)},"batch":[`;
    const messages: string[] = [];
    let parts: string[] = [];
    let size = Buffer.byteLength(head) + 2;
    for (const { topic, payload } of items) {
      let part = JSON.stringify({ topic, payload });
      if (Buffer.byteLength(head) + Buffer.byteLength(part) + 2 >= NOTIFY_LIMIT) {
        part = JSON.stringify({ topic, ref: refOf(payload) });
      }
      const bytes = Buffer.byteLength(part) + 1;
      if (parts.length > 0 && size + bytes >= NOTIFY_LIMIT) {
        messages.push(`${head}${parts.join(',')}]}`);
        parts = [];
        size = Buffer.byteLength(head) + 2;
      }
      parts.push(part);
      size += bytes;
    }
    if (parts.length > 0) messages.push(`${head}${parts.join(',')}]}`);
    if (messages.length === 0) return;
    // one statement for every notification of the batch
    const args = messages.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ');
    await db.query(`SELECT ${args}`, [TOPIC_CHANNEL, ...messages]);
  }

  /** Listens until stop(); resolves once the first LISTEN is in place (rejects if that connection fails). */
  async start(onTopic: (t: RelayedTopic) => void): Promise<void> {
    if (this.onTopic) throw new Error('topic relay already started');
    this.onTopic = onTopic;
    try {
      await this.listen();
    } catch (err) {
      this.onTopic = null;
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.listener;
    this.listener = null;
    this.listenerPid = null;
    await client?.end().catch(() => {
      // already gone: nothing to close
    });
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ ...this.pool.options });
    // a dropped session (server restart, pg_terminate_backend, network) emits error and/or end: re-listen once
    let dropped = false;
    const drop = (err?: Error) => {
      if (dropped) return;
      dropped = true;
      if (this.listener === client) {
        this.listener = null;
        this.listenerPid = null;
      }
      if (this.stopped) return;
      this.opts.log.warn('topic relay lost its PostgreSQL connection; re-listening', {
        db: redactPgUrl(this.pool.options.connectionString ?? ''),
        error: err?.message ?? 'connection ended',
        retryInMs: this.backoffMs,
      });
      this.retryLater();
    };
    client.on('error', drop);
    client.on('end', () => drop());
    client.on('notification', (n) => this.received(n));
    let pid: number | null;
    try {
      await client.connect();
      await client.query(`LISTEN ${TOPIC_CHANNEL}`);
      for (const channel of Object.keys(this.opts.channels ?? {})) await client.query(`LISTEN ${quoteIdent(channel)}`);
      pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? null;
    } catch (err) {
      dropped = true; // the caller decides about retrying; this client's own events must not schedule another
      await client.end().catch(() => {});
      throw err;
    }
    if (this.stopped) {
      await client.end();
      return;
    }
    if (dropped) return; // lost right after listening: a retry is already scheduled
    this.listener = client;
    this.listenerPid = pid;
    this.backoffMs = this.opts.minBackoffMs ?? RECONNECT_MIN_MS;
  }

  private retryLater(): void {
    if (this.stopped || this.timer) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.opts.maxBackoffMs ?? RECONNECT_MAX_MS, this.backoffMs * 2);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.listen().then(
        () => {
          // said as its loss was: a log that ends on "could not re-listen" reads as a process still cut off
          if (!this.stopped) this.opts.log.info('topic relay listening again');
          // whatever was notified meanwhile is lost: tell the receiver to refetch
          this.deliver({ topic: 'stream.gap', payload: { dropped: null }, ref: null });
        },
        (err: Error) => {
          this.opts.log.warn('topic relay could not re-listen', { error: err.message, retryInMs: this.backoffMs });
          this.retryLater();
        },
      );
    }, wait);
  }

  private received(n: pg.Notification): void {
    const other = this.opts.channels?.[n.channel];
    if (other) {
      try {
        other(n.payload ?? '');
      } catch (err) {
        this.opts.log.warn('a channel listener failed', { channel: n.channel, error: String(err) });
      }
      return;
    }
    if (n.channel !== TOPIC_CHANNEL) return;
    let json: unknown;
    try {
      json = JSON.parse(n.payload ?? '');
    } catch {
      json = undefined;
    }
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) {
      this.opts.log.warn('dropped a malformed topic notification', { error: envelope.error.issues[0]?.message });
      return;
    }
    if (envelope.data.from === this.sender) return;
    const items = 'batch' in envelope.data ? envelope.data.batch : [envelope.data];
    for (const item of items) this.receivedItem(item as z.output<typeof Item> & { topic: TopicName });
  }

  private receivedItem({ topic, payload, ref }: z.output<typeof Item> & { topic: TopicName }): void {
    if (payload === undefined) {
      this.deliver({ topic, payload: null, ref: ref ?? null });
      return;
    }
    const parsed = topics[topic].safeParse(payload);
    if (!parsed.success) {
      this.opts.log.warn('dropped a topic notification with a malformed payload', {
        topic,
        error: parsed.error.issues[0]?.message,
      });
      return;
    }
    this.deliver({ topic, payload: parsed.data, ref: null });
  }

  private deliver(t: RelayedTopic): void {
    if (this.stopped || !this.onTopic) return;
    try {
      this.onTopic(t);
    } catch (err) {
      this.opts.log.error('topic relay receiver threw', { topic: t.topic, error: String(err) });
    }
  }
}
