// `hookbench listen`: a local receiver that prints each request with its signature verdict and answers as told
// (a status, a delay, "fail the first N per webhook id", 401 for a bad signature) so a sender's retries can be
// exercised; with --forward-to it also sends each request on to your local server and prints its answer. Runs
// until SIGINT/SIGTERM, then stops gracefully with exit 0.
import Agent from 'undici/lib/dispatcher/agent.js';
import { type ForwardResult, ListenFlags, ResponseScript } from '../../shared';
import { type ReceivedRequest, type ReceiverTarget, startReceiver } from '../engine/receiver';
import { forwardCaptured } from '../engine/receiver/forward';
import { reachesReceiver } from '../engine/receiver/self-address';
import { listenError } from './bind-errors';
import { parseFlags, UsageError } from './flags';
import { assertSecretFlag } from './secret-flag';

/** Printed bodies are cut here; the receiver still captures (and verifies) up to its own cap. */
const PRINT_BODY_MAX = 64 * 1024;

export interface ListenIo {
  out(text: string): void;
  /**
   * where `Listening on` and `Forwarding to` go with --json, whose stdout carries only the JSON lines (`| jq .`);
   * default: out
   */
  err?(text: string): void;
  /** resolves when the receiver should stop; default: the first SIGINT or SIGTERM */
  until?: Promise<void>;
}

export async function runListen(flags: ListenFlags, io: ListenIo): Promise<void> {
  const target: ReceiverTarget = {
    key: 'listen',
    script: ResponseScript.parse({
      status: flags.status,
      delayMs: flags.delay,
      failFirst: flags.failFirst,
      failStatus: 500,
      rejectUnverified: flags.rejectUnverified,
      body: flags.status >= 200 && flags.status < 300 ? '{"ok":true}' : '{"ok":false}',
    }),
    verifyWith: flags.secret ? { scheme: flags.scheme, secrets: [flags.secret] } : null,
  };
  const forwarder = flags.forwardTo ? new Forwarder(flags.forwardTo) : null;
  const onRequest = (r: ReceivedRequest) => {
    if (!flags.json) io.out(formatBlock(r, flags.secret !== undefined));
    if (!forwarder) {
      if (flags.json) io.out(`${JSON.stringify(toJsonLine(r))}\n`);
      return;
    }
    // Not awaited: the sender gets the scripted answer at once, whatever the local server does.
    forwarder.send(r, (forward) =>
      io.out(flags.json ? `${JSON.stringify({ ...toJsonLine(r), forward })}\n` : forwardLine(r, forward)),
    );
  };
  const receiver = await startReceiver({
    host: flags.host,
    port: flags.port,
    routing: { kind: 'catchAll', target: () => target },
    onRequest,
  }).catch((err: unknown) => {
    throw listenError(err, '--port', flags.host, flags.port);
  });
  if (flags.forwardTo && reachesReceiver(flags.forwardTo, receiver.url)) {
    await receiver.stop();
    await forwarder?.close();
    throw new UsageError(
      `--forward-to ${flags.forwardTo} is this listener (${receiver.url}): every request would be forwarded to itself without end; give your server's URL`,
    );
  }
  const banner = flags.json ? (io.err ?? io.out) : io.out;
  banner(`Listening on ${receiver.url}\n`);
  if (flags.forwardTo) banner(`Forwarding to ${flags.forwardTo}\n`);
  await (io.until ?? untilSignal());
  await receiver.stop();
  await forwarder?.close();
}

/** Sends captured requests on to one URL through its own connection pool; close() waits for those on their way. */
class Forwarder {
  private readonly agent = new Agent({ connections: 16 });
  private readonly inFlight = new Set<Promise<void>>();
  constructor(private readonly url: string) {}

  send(r: ReceivedRequest, done: (result: ForwardResult) => void): void {
    const p = forwardCaptured(r, this.url, this.agent, Date.now()).then(done);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  async close(): Promise<void> {
    await Promise.all(this.inFlight);
    await this.agent.close();
  }
}

/** The webhook id as the sender sent it (the receiver counts retries under `<header>:<id>`), or null. */
function sentWebhookId(r: ReceivedRequest): string | null {
  return r.webhookId === null ? null : r.webhookId.slice(r.webhookId.indexOf(':') + 1);
}

function forwardLine(r: ReceivedRequest, f: ForwardResult): string {
  const time = new Date(r.receivedAt).toISOString().slice(11, 23);
  const sent = sentWebhookId(r);
  const id = sent === null ? '' : `  (${sent})`;
  const answer = f.status === null ? `✗ ${f.error ?? 'no answer'}` : `→ ${f.status}  ${f.durationMs} ms`;
  return `${time}  ⇢ ${r.method} ${f.url}  ${answer}${id}\n`;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function verdictLine(r: ReceivedRequest, secretGiven: boolean): string {
  if (!secretGiven || !r.verification) return '– no secret given';
  if (r.verification.verified) return `✓ verified (${r.verification.scheme})`;
  return `✗ ${r.verification.reason ?? 'not verified'}`;
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The body as a reader wants it: pretty JSON, plain text, or a note for binary data. */
export function prettyBody(body: Buffer): string {
  if (body.length === 0) return '(empty body)';
  const text = body.subarray(0, PRINT_BODY_MAX).toString('utf8');
  const cut = body.length > PRINT_BODY_MAX ? `\n… (${formatSize(body.length - PRINT_BODY_MAX)} more)` : '';
  if (!cut) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON: shown as text below
    }
  }
  // Control characters (other than tab and newlines) would garble the terminal: treat such bodies as binary.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) return `(${formatSize(body.length)} of binary data)`;
  return text + cut;
}

function formatBlock(r: ReceivedRequest, secretGiven: boolean): string {
  const time = new Date(r.receivedAt).toISOString().slice(11, 23);
  const answered = r.responseStatus === null ? 'hanging' : `→ ${r.responseStatus}`;
  const lines = [
    `${time}  ${r.method} ${r.path}  ${formatSize(r.size)}${r.truncated ? ' (cut)' : ''}  ${answered}`,
    `  ${verdictLine(r, secretGiven)}`,
    ...Object.entries(r.headers).map(([k, v]) => `  ${k}: ${v}`),
    '',
    ...prettyBody(r.body)
      .split('\n')
      .map((l) => `  ${l}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function toJsonLine(r: ReceivedRequest) {
  return {
    receivedAt: new Date(r.receivedAt).toISOString(),
    method: r.method,
    path: r.path,
    size: r.size,
    truncated: r.truncated,
    remote: r.remote,
    headers: r.headers,
    body: r.body.toString('utf8'),
    webhookId: sentWebhookId(r),
    responseStatus: r.responseStatus,
    verification: r.verification,
  };
}

/** The `listen` command's action: its flags parsed and checked, then runListen until a signal. */
export async function listenCommand(raw: Record<string, unknown>): Promise<void> {
  const flags = parseFlags(ListenFlags, raw);
  // a secret that cannot verify under the scheme would flag every request: bad usage, said up front
  if (flags.secret !== undefined) assertSecretFlag(flags.scheme, flags.secret);
  await runListen(flags, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
  process.exitCode = 0;
}
