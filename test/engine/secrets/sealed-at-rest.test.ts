// Secrets at rest under a real engine with the AES box: no secret it created appears in the database, WAL or SHM
// bytes; plain rows from before are sealed at start; a database opened with another key keeps working, names the
// endpoints whose secrets it cannot open, fails their attempts visibly, and rotate-secret fixes them.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAesSecretBox } from '../../../src/main/engine/secrets/aes-box';
import { call, startEngine } from '../../support/engine';
import { recordingLog } from '../../support/log';
import { startTestReceiver, type TestReceiver } from '../../support/receiver';
import { tempDbPath } from '../../support/temp';
import { waitFor } from '../../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.stop();
});

/** Every secret whose bytes (as text) appear in the database, -wal or -shm file. */
function secretsFoundInFiles(dbPath: string, secrets: string[]): string[] {
  const files = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`].filter(existsSync).map((f) => readFileSync(f));
  return secrets.filter((s) => files.some((bytes) => bytes.includes(Buffer.from(s, 'utf8'))));
}

async function createSecrets(engine: Awaited<ReturnType<typeof startEngine>>): Promise<string[]> {
  const secrets: string[] = [];
  const a = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/a' });
  secrets.push(a.secret);
  const given = `whsec_${randomBytes(32).toString('base64')}`;
  const b = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/b', secret: given });
  secrets.push(b.secret);
  const c = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/c', scheme: 'github' });
  secrets.push(c.secret);
  const rotated = await call(engine, 'endpoints.rotateSecret', { id: a.id, graceSeconds: 3600 });
  secrets.push(rotated.secret);
  secrets.push((await call(engine, 'settings.notificationSecret', {})).secret);
  return secrets;
}

describe('signing secrets at rest (AES-256-GCM box)', () => {
  it('writes no secret in plain text to the database, its WAL or its SHM, running or stopped', async () => {
    const box = createAesSecretBox(randomBytes(32));
    const engine = await startEngine({ secrets: box });
    const secrets = await createSecrets(engine);
    expect(secrets).toHaveLength(5);
    expect(secretsFoundInFiles(engine.dbPath, secrets)).toEqual([]);
    // the API still reveals them to their owner
    const eps = await call(engine, 'endpoints.list', {});
    const info = await call(engine, 'endpoints.secret', { id: eps.data[0]?.id as string });
    expect(secrets).toContain(info.secret);
    await engine.stop();
    expect(secretsFoundInFiles(engine.dbPath, secrets)).toEqual([]);
  });

  it('seals plain-text secrets left by an earlier start (no key) at the next start, leaving no plain copy', async () => {
    const dbPath = tempDbPath();
    const before = await startEngine({ dbPath });
    const secrets = await createSecrets(before);
    await before.stop();
    expect(secretsFoundInFiles(dbPath, secrets).length).toBeGreaterThan(0);

    const log = recordingLog();
    const box = createAesSecretBox(randomBytes(32));
    const after = await startEngine({ dbPath, secrets: box, log });
    expect(log.messages('info')).toContain('sealed signing secrets stored in plain text');
    expect(secretsFoundInFiles(dbPath, secrets)).toEqual([]);
    // and they still sign: the notification secret is the same one
    expect((await call(after, 'settings.notificationSecret', {})).secret).toBe(secrets[4]);
    await after.stop();
    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare('SELECT sealed FROM endpoint_secrets').all() as Array<{ sealed: string }>;
    db.close();
    expect(rows.every((r) => r.sealed.startsWith('v1:aesgcm:'))).toBe(true);
    expect(secretsFoundInFiles(dbPath, secrets)).toEqual([]);
  });

  it('opened with another key: names the endpoints, fails their attempts saying why, and rotate-secret fixes it', async () => {
    const receiver = await startTestReceiver();
    receivers.push(receiver);
    const dbPath = tempDbPath();
    const first = await startEngine({ dbPath, secrets: createAesSecretBox(randomBytes(32)) });
    const ep = await call(first, 'endpoints.create', { url: `${receiver.url}/hook`, eventTypes: ['order.*'] });
    await call(first, 'settings.update', { retry: { maxAttempts: 1 }, autoDisable: { threshold: 0 } });
    const oldNotificationSecret = (await call(first, 'settings.notificationSecret', {})).secret;
    await first.stop();

    const log = recordingLog();
    const engine = await startEngine({ dbPath, secrets: createAesSecretBox(randomBytes(32)), log });
    const warning = log.entries.find((e) => e.level === 'warn' && e.msg.startsWith('signing secrets cannot be opened'));
    expect(warning?.fields?.endpoints).toEqual([ep.id]);
    expect(String(warning?.fields?.fix)).toContain('rotate-secret');
    // everything else keeps working
    expect((await call(engine, 'endpoints.list', {})).data).toHaveLength(1);
    await expect(call(engine, 'endpoints.secret', { id: ep.id })).rejects.toMatchObject({ code: 'unprocessable' });

    const failed = await call(engine, 'events.create', { type: 'order.created', data: { n: 1 } });
    const failedId = failed.deliveries?.[0]?.id as string;
    const detail = await waitFor(async () => {
      const d = await call(engine, 'deliveries.get', { id: failedId });
      return d.status === 'failed' ? d : null;
    });
    expect(detail.attempts[0]?.error).toMatch(/sealed with another key/);
    expect(receiver.requests).toHaveLength(0);

    const rotated = await call(engine, 'endpoints.rotateSecret', { id: ep.id, graceSeconds: 0 });
    const ok = await call(engine, 'events.create', { type: 'order.created', data: { n: 2 } });
    const okId = ok.deliveries?.[0]?.id as string;
    await waitFor(async () => (await call(engine, 'deliveries.get', { id: okId })).status === 'succeeded');
    expect(receiver.requests).toHaveLength(1);
    expect((await call(engine, 'endpoints.secret', { id: ep.id })).secret).toBe(rotated.secret);

    // the notification secret: said at start, refused clearly, and rotated the same way
    expect(log.messages('warn')).toContain(
      'the notification secret cannot be opened with this key; endpoint.disabled notifications fail',
    );
    await expect(call(engine, 'settings.notificationSecret', {})).rejects.toMatchObject({ code: 'unprocessable' });
    const fresh = await call(engine, 'settings.rotateNotificationSecret', {});
    expect(fresh.secret).not.toBe(oldNotificationSecret);
    expect((await call(engine, 'settings.notificationSecret', {})).secret).toBe(fresh.secret);
  });
});
