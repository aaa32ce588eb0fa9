// IPC end to end against a real engine on a temp SQLite file: a renderer's calls through the fake ipcMain reach
// the engine's handlers, topics come back as pushes, and secrets sealed by the safeStorage box are at rest
// encrypted yet sign deliveries a reference verifier accepts.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecretBox, type SafeStorageLike } from '../../../src/main/app/secret-box';
import { createTrustedSenderCheck, forwardTopics, registerIpc } from '../../../src/main/transports/ipc';
import { type CallResult, IPC_CALL, IPC_PUSH } from '../../../src/shared';
import { startEngine } from '../../support/engine';
import { flatHeaders, startTestReceiver, type TestReceiver } from '../../support/receiver';
import { waitFor } from '../../support/wait';
import { FakeIpcMain, FakeWebContents, topFrame } from './fakes';

const rendererFile = '/app/out/renderer/index.html';
const trusted = { senderFrame: topFrame(`${pathToFileURL(rendererFile).href}#/endpoints`) };
const foreign = { senderFrame: topFrame('https://evil.example/') };

/** safeStorage stand-in: reversible, keyed, and visibly not the plain text. */
const fakeSafeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5c)),
  decryptString: (enc) => Buffer.from(enc.map((b) => b ^ 0x5c)).toString('utf8'),
};

let receiver: TestReceiver | null = null;
afterEach(async () => {
  await receiver?.stop();
  receiver = null;
});

async function setup() {
  receiver = await startTestReceiver();
  const engine = await startEngine({ secrets: createSecretBox(fakeSafeStorage) });
  const ipc = new FakeIpcMain();
  registerIpc(ipc, engine.handlers, createTrustedSenderCheck({ rendererFile }));
  const window = new FakeWebContents();
  const stopForwarding = forwardTopics(engine, () => [window]);
  const call = async (event: typeof trusted, route: string, input: unknown) =>
    (await ipc.invoke(IPC_CALL, event, route, input)) as CallResult;
  return { engine, window, call, stopForwarding, receiver };
}

describe('IPC against a real engine', () => {
  it('creates an endpoint, fires an event, pushes delivery updates, and maps errors', async () => {
    const { call, window, stopForwarding, receiver } = await setup();

    const created = await call(trusted, 'endpoints.create', { url: `${receiver.url}/hooks`, description: 'ipc test' });
    expect(created.ok).toBe(true);
    const endpoint = (created as { data: { id: string; secret: string; url: string } }).data;
    expect(endpoint.secret).toMatch(/^whsec_/);

    const got = await call(trusted, 'endpoints.get', { id: endpoint.id });
    expect(got).toMatchObject({
      ok: true,
      data: { id: endpoint.id, url: `${receiver.url}/hooks`, description: 'ipc test' },
    });
    expect((got as { data: object }).data).not.toHaveProperty('secret');

    const fired = await call(trusted, 'events.create', {
      type: 'invoice.paid',
      validate: false,
      data: { object: { id: 'in_1', amount: 4200 } },
    });
    expect(fired.ok).toBe(true);
    const request = await waitFor(() => receiver.requests[0], { message: 'the webhook to arrive' });
    // signed with the secret the box sealed and then opened again
    const verified = new Webhook(endpoint.secret).verify(request.body, flatHeaders(request.headers));
    expect(verified).toMatchObject({ type: 'invoice.paid', data: { object: { id: 'in_1', amount: 4200 } } });

    // the window hears about it: event.created, then delivery.updated up to succeeded
    await waitFor(() =>
      window.sent.some(
        (s) => s.args[0] === 'delivery.updated' && (s.args[1] as { status: string }).status === 'succeeded',
      ),
    );
    expect(window.sent.every((s) => s.channel === IPC_PUSH)).toBe(true);
    expect(window.sent.map((s) => s.args[0])).toContain('event.created');
    stopForwarding();

    expect(await call(trusted, 'endpoints.get', { id: 'ep_missing' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: expect.stringContaining('ep_missing') },
    });
    const bad = await call(trusted, 'endpoints.create', { url: 'ftp://example.com/x' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('invalid_input');
    expect(!bad.ok && bad.error.issues?.map((i) => i.path)).toContainEqual(['url']);
  });

  it('an untrusted frame writes nothing', async () => {
    const { call } = await setup();
    const res = await call(foreign, 'endpoints.create', { url: 'http://127.0.0.1:1/x' });
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const list = await call(trusted, 'endpoints.list', {});
    expect(list).toMatchObject({ ok: true, data: { data: [] } });
  });

  it('stores endpoint secrets sealed: the database files never contain the plain secret', async () => {
    const { call, engine } = await setup();
    const created = (await call(trusted, 'endpoints.create', { url: 'http://127.0.0.1:9/x' })) as {
      data: { id: string; secret: string };
    };
    const revealed = await call(trusted, 'endpoints.secret', { id: created.data.id });
    expect(JSON.stringify(revealed)).toContain(created.data.secret);
    await engine.stop();
    const dir = dirname(engine.dbPath);
    const bytes = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('\n');
    expect(bytes).toContain('enc:v1:');
    expect(bytes).not.toContain(created.data.secret);
    expect(bytes).not.toContain(created.data.secret.slice('whsec_'.length));
  });
});
