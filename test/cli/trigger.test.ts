// `hookbench trigger` as a user runs it: through a running serve (queued, or --wait for the outcome) and on serve's
// database after serve stopped (its own engine sends, signing with the secrets serve sealed); bad input exits 2 and
// fires nothing.
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client';
import { createEngine } from '../../src/main/engine';
import { callRoute } from '../../src/main/transports/dispatch';
import { type Endpoint, triggerCommand } from '../../src/shared';
import { killAll } from '../support/children';
import { cliRunner, runCli } from '../support/cli';
import { closedPort, flatHeaders, startTestReceiver, type TestReceiver } from '../support/receiver';
import { type Serve, startServe } from '../support/serve';
import { tempDbPath, tempDir } from '../support/temp';
import { waitFor } from '../support/wait';

const children: ChildProcess[] = [];
const receivers: TestReceiver[] = [];
afterAll(() => killAll(children));
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function serveWith(dbPath = tempDbPath()): Promise<Serve> {
  const serve = await startServe(dbPath);
  children.push(serve.child);
  return serve;
}

async function receiver(respond?: (n: number) => number): Promise<TestReceiver> {
  const r = await startTestReceiver(respond ? { respond: (_req, n) => ({ status: respond(n) }) } : {});
  receivers.push(r);
  return r;
}

/** serve with two endpoints on receivers of their own: `app` and `other`; `ep` is app's (with its secret). */
async function serveWithTwo(dbPath: string) {
  const serve = await serveWith(dbPath);
  const app = await receiver();
  const other = await receiver();
  const client = createClient({ baseUrl: serve.url, token: serve.token });
  const ep = await client.call('endpoints.create', { url: app.url, description: 'app' });
  await client.call('endpoints.create', { url: other.url, description: 'other' });
  client.close();
  return { serve, app, other, ep };
}

async function stopServe(serve: Serve): Promise<void> {
  process.kill(serve.child.pid as number, 'SIGTERM');
  await serve.exit;
}

/** Events stored in a database, read by an engine that sends nothing. */
async function eventCount(dbPath: string): Promise<number> {
  const engine = await createEngine({ dbPath, inbox: false, dispatch: false });
  try {
    return ((await callRoute(engine.handlers, 'events.list', {})) as { data: unknown[] }).data.length;
  } finally {
    await engine.stop();
  }
}

describe('hookbench trigger', () => {
  it("fires the catalog's example through serve and, with --wait, prints the delivery and exits 0", async () => {
    const serve = await serveWith();
    const app = await receiver();
    const client = createClient({ baseUrl: serve.url, token: serve.token });
    const ep = await client.call('endpoints.create', { url: `${app.url}/hooks`, description: 'app' });
    client.close();

    const res = await runCli(['trigger', 'invoice.paid', '--server', serve.url, '--token', serve.token, '--wait']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const id = /^Fired invoice\.paid (\S+) to 1 endpoint$/m.exec(res.stdout)?.[1];
    expect(id).toBeDefined();
    expect(res.stdout).toMatch(
      new RegExp(`succeeded {2}app \\(${app.url}/hooks\\) {2}HTTP 200 in \\d+ ms \\(1 attempt\\)`),
    );
    expect(app.requests).toHaveLength(1);
    const sent = new Webhook(ep.secret as string).verify(
      app.requests[0]?.body as string,
      flatHeaders(app.requests[0]?.headers ?? {}),
    ) as Record<string, unknown>;
    expect(sent).toMatchObject({ id, type: 'invoice.paid', data: { object: { id: 'inv_1042' } } });
  });

  it('exits 1 under --wait when a delivery fails, naming its last answer; without --wait it only queues', async () => {
    const serve = await serveWith();
    const down = await receiver(() => 503);
    const client = createClient({ baseUrl: serve.url, token: serve.token });
    await client.call('settings.update', { retry: { maxAttempts: 2, initialDelayMs: 100, jitter: 0 } });
    await client.call('endpoints.create', { url: down.url, description: 'down' });
    client.close();
    const args = ['trigger', 'test.ping', '--data', '{"n":1}', '--server', serve.url, '--token', serve.token];

    const waited = await runCli([...args, '--wait', '--timeout', '30']);
    expect(waited.code).toBe(1);
    expect(waited.stdout).toMatch(/failed {5}down \(http:\S+\) {2}HTTP 503 in \d+ ms \(2 attempts\)/);

    const queued = await runCli([...args, '--json']);
    expect(queued.code).toBe(0);
    const detail = JSON.parse(queued.stdout) as { type: string; data: unknown; deliveries: { status: string }[] };
    expect(detail).toMatchObject({ type: 'test.ping', data: { n: 1 } });
    expect(detail.deliveries).toHaveLength(1);
  });

  it("sends on serve's database with its own engine, signing with the secret serve sealed", async () => {
    const dbPath = tempDbPath();
    const { serve, app, other, ep } = await serveWithTwo(dbPath);
    await stopServe(serve);

    const args = ['trigger', 'payment_intent.succeeded', '--profile', 'stripe', '--endpoint', 'app'];
    const res = await runCli([...args, '--idempotency-key', 'order-7', '--db', dbPath]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/succeeded {2}app \(\S+\) {2}HTTP 200 in \d+ ms \(1 attempt\)/);
    expect(other.requests).toHaveLength(0);
    expect(app.requests).toHaveLength(1);
    const sent = new Webhook(ep.secret as string).verify(
      app.requests[0]?.body as string,
      flatHeaders(app.requests[0]?.headers ?? {}),
    ) as Record<string, unknown>;
    expect(sent).toMatchObject({ type: 'payment_intent.succeeded', data: { object: 'payment_intent', amount: 2000 } });

    // the same idempotency key fires once: the repeat answers with the first event and sends nothing more
    const again = await runCli([...args, '--idempotency-key', 'order-7', '--db', dbPath]);
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe(res.stdout.split('\n')[0]);
    expect(app.requests).toHaveLength(1);
    expect(await eventCount(dbPath)).toBe(1);
  });

  it("fires a --profile fixture in the provider's shape, unchecked against the catalog type of the same name", async () => {
    // a fresh database with one endpoint: the stripe invoice.paid fixture is Stripe's invoice, not the catalog's
    const dbPath = tempDbPath();
    const app = await receiver();
    const setup = await createEngine({ dbPath, inbox: false, dispatch: false });
    await callRoute(setup.handlers, 'endpoints.create', { url: app.url, description: 'app' });
    await setup.stop();

    const res = await runCli(['trigger', 'invoice.paid', '--profile', 'stripe', '--db', dbPath]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/succeeded {2}app \(\S+\) {2}HTTP 200 in \d+ ms \(1 attempt\)/);
    expect(JSON.parse(app.requests[0]?.body as string)).toMatchObject({
      type: 'invoice.paid',
      data: { object: 'invoice', amount_paid: 1500 },
    });
    // data given by hand is still checked against the catalog type's schema
    const mine = await runCli([
      'trigger',
      'invoice.paid',
      '--profile',
      'stripe',
      '--data',
      '{"object":{}}',
      '--db',
      dbPath,
    ]);
    expect(mine.code).toBe(2);
    expect(mine.stderr).toContain('the data does not match the invoice.paid schema');
    expect(app.requests).toHaveLength(1);
  });

  it("hides a Basic-auth password of an endpoint's URL in its lines; --json shows the event as the API does", async () => {
    const dbPath = tempDbPath();
    const app = await receiver();
    const url = `http://bob:hunter2pw@127.0.0.1:${app.port}/cred`;
    const setup = await createEngine({ dbPath, inbox: false, dispatch: false });
    await callRoute(setup.handlers, 'endpoints.create', { url });
    await callRoute(setup.handlers, 'endpoints.create', { url, description: 'named' });
    await setup.stop();

    const res = await runCli(['trigger', 'test.ping', '--data', '{}', '--db', dbPath]);
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain('hunter2pw');
    const hidden = `http://bob:•••@127.0.0.1:${app.port}/cred`;
    expect(res.stdout).toContain(`succeeded  ${hidden}  HTTP 200`);
    expect(res.stdout).toContain(`succeeded  named (${hidden})  HTTP 200`);
    // the receiver got the credential as Basic auth all the same
    expect(app.requests.map((r) => r.headers.authorization)).toEqual(Array(2).fill('Basic Ym9iOmh1bnRlcjJwdw=='));

    const json = await runCli(['trigger', 'test.ping', '--data', '{}', '--db', dbPath, '--json']);
    const detail = JSON.parse(json.stdout) as { deliveries: { endpointUrl: string }[] };
    expect(detail.deliveries.map((d) => d.endpointUrl)).toEqual([url, url]);
  });

  it("on a database, a failed first attempt is printed with the endpoint's attempts and the next try", async () => {
    const dbPath = tempDbPath();
    const down = await receiver(() => 503);
    const setup = await createEngine({ dbPath, inbox: false, dispatch: false });
    const retry = { initialDelayMs: 120_000, multiplier: 2, maxDelayMs: 600_000, maxAttempts: 3, jitter: 0 };
    await callRoute(setup.handlers, 'endpoints.create', { url: down.url, description: 'down', retry });
    await setup.stop();

    const res = await runCli(['trigger', 'test.ping', '--data', '{}', '--db', dbPath]);
    expect(res.code).toBe(0);
    // its own policy: 3 attempts in all, the next one 120 s after the first (rounded to whole seconds as it prints)
    expect(res.stdout).toMatch(
      /pending {4}down \(http:\S+\) {2}HTTP 503 in \d+ ms \(1 of 3 attempts\); next try in 1(19|20) s/,
    );
    expect(down.requests).toHaveLength(1);
  });

  it('exits 2 with the reason and fires nothing for bad input', async () => {
    const dbPath = tempDbPath();
    // two endpoints of one description, disabled by hand: nothing is ever sent to them
    const port = await closedPort();
    const setup = await createEngine({ dbPath, inbox: false, dispatch: false });
    for (const path of ['a', 'b']) {
      const url = `http://127.0.0.1:${port}/${path}`;
      const ep = (await callRoute(setup.handlers, 'endpoints.create', { url, description: 'twin' })) as Endpoint;
      await callRoute(setup.handlers, 'endpoints.disable', { id: ep.id });
    }
    await setup.stop();
    const cases: [string[], string][] = [
      [
        ['trigger', 'invoice.paid', '--data', '{"object":{"id":5}}'],
        "/object must have required property 'customer_id'",
      ],
      [['trigger', 'invoice.paid', '--data', '{oops'], '--data: not valid JSON'],
      [['trigger', 'not.catalogued'], 'not.catalogued is not in the catalog'],
      [['trigger', 'invoice.paid', '--profile', 'github'], 'the github profile has no fixture invoice.paid'],
      [
        ['trigger', 'invoice.paid', '--endpoint', 'nobody'],
        '--endpoint nobody: no endpoint has this id, URL or description',
      ],
      [['trigger', 'invoice.paid', '--endpoint', 'twin'], '--endpoint twin: names 2 endpoints'],
      [['trigger', 'invoice.paid', '--timeout', '0'], '--timeout: must be a whole number from 1 to 3600'],
      [['trigger', 'bad type!'], 'bad type!: not an event type'],
      [['trigger'], 'give the event type to fire'],
    ];
    for (const [args, message] of cases) {
      const res = await runCli([...args, '--db', dbPath]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toContain(message);
    }
    // a --db that does not exist is refused, not created
    const missing = join(tempDir(), 'typo.db');
    const typo = await runCli(['trigger', 'test.ping', '--data', '{}', '--db', missing]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`no database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
    const noToken = await runCli(['trigger', 'invoice.paid', '--server', 'http://127.0.0.1:9'], {
      env: { HOOKBENCH_TOKEN: '' },
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('--server needs --token');
    expect(await eventCount(dbPath)).toBe(0);

    // --no-validate fires data that breaks the schema on purpose (to no endpoint: both are disabled)
    const sent = await runCli([
      'trigger',
      'invoice.paid',
      '--data',
      '{"object":{"id":5}}',
      '--no-validate',
      '--db',
      dbPath,
    ]);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^Fired invoice\.paid \S+ to 0 endpoints$/m);
    expect(await eventCount(dbPath)).toBe(1);
  });

  it('says when no endpoint subscribes: exit 0 when only firing, 1 under --wait', async () => {
    const dbPath = tempDbPath();
    await (await createEngine({ dbPath, inbox: false, dispatch: false })).stop();
    const fired = await runCli(['trigger', 'test.ping', '--data', '{}', '--db', dbPath]);
    expect(fired.code).toBe(0);
    expect(fired.stdout).toMatch(/^Fired test\.ping \S+ to 0 endpoints$/m);
    expect(fired.stderr).toContain('no enabled endpoint subscribes to test.ping: nothing to send');
    const waited = await runCli(['trigger', 'test.ping', '--data', '{}', '--db', dbPath, '--wait']);
    expect(waited.code).toBe(1);
  });

  it("runs Compose's Copy as CLI command as written (quoting, --endpoint, --no-validate, the token from the env)", async () => {
    const { serve, app, other, ep } = await serveWithTwo(tempDbPath());
    const data = { object: { id: "it's $HOME `x`" } }; // breaks invoice.paid's schema: needs --no-validate
    const line = triggerCommand(
      { type: 'invoice.paid', data, endpointIds: [ep.id] },
      { server: serve.url, validate: false },
    );
    const runner = await cliRunner();
    const { stdout } = await promisify(execFile)(
      'bash',
      ['-c', `hookbench() { "${process.execPath}" "${runner}" "$@"; }\n${line}`],
      {
        env: { ...process.env, HOOKBENCH_TOKEN: serve.token },
      },
    );
    expect(stdout).toMatch(/^Fired invoice\.paid \S+ to 1 endpoint$/m);
    await waitFor(() => app.requests.length === 1);
    expect(JSON.parse(app.requests[0]?.body as string).data).toEqual(data);
    expect(other.requests).toHaveLength(0);
  });

  it('documents itself in --help', async () => {
    const help = await runCli(['trigger', '--help']);
    expect(help.code).toBe(0);
    for (const text of [
      '--data',
      '--profile',
      '--endpoint',
      '--idempotency-key',
      '--no-validate',
      '--wait',
      '--server',
      '--db',
    ])
      expect(help.stdout).toContain(text);
  });
});
