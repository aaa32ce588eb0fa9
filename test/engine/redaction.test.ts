// Credentials in URLs never reach the log or a notification: an auto-disabled endpoint whose URL carries
// `user:password@` and `?token=`, reported to a notification URL with its own `?key=`, seen through a recording log.
import { afterEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../src/main/engine';
import { call, startEngine } from '../support/engine';
import { recordingLog } from '../support/log';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

describe('URL redaction', () => {
  it('logs and notifies an auto-disable without userinfo or query values; the API keeps the stored URL', async () => {
    const failing = await startTestReceiver({ respond: () => ({ status: 500 }) });
    const ops = await startTestReceiver({ respond: () => ({ status: 503 }) });
    receivers.push(failing, ops);
    const log = recordingLog();
    const notes: Notification[] = [];
    const engine = await startEngine({ log, notify: (n) => notes.push(n) });
    const host = failing.url.replace('http://', '');
    const url = `http://alice:hunter2@${host}/hook?token=tok-s3cret&team=blue`;
    await call(engine, 'settings.update', {
      retry: { initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, maxAttempts: 5, jitter: 0 },
      autoDisable: { threshold: 2 },
      notificationUrl: `${ops.url}/ops?key=ops-s3cret`,
    });
    const ep = await call(engine, 'endpoints.create', { url });
    await call(engine, 'events.create', { type: 'user.created', validate: false, data: {} });
    // the operational event is a delivery to the notification URL (retried there; it answers 503)
    await waitFor(() => log.messages('warn').includes('endpoint disabled') && ops.requests.length > 0);

    const everything = JSON.stringify(log.entries) + JSON.stringify(notes) + ops.requests.map((r) => r.body).join('');
    for (const secret of ['hunter2', 'alice', 'tok-s3cret', 'blue', 'ops-s3cret'])
      expect(everything).not.toContain(secret);

    const disabledLine = log.entries.find((e) => e.msg === 'endpoint disabled');
    expect(disabledLine?.fields?.url).toBe(`http://***@${host}/hook?token=***&team=***`);
    expect(notes[0]?.body).toContain(`http://***@${host}/hook?token=***&team=***`);
    expect(ops.requests[0]?.body).toContain(`http://***@${host}/hook?token=***&team=***`);

    // the owner (behind the token) still gets the URL as stored
    expect((await call(engine, 'endpoints.get', { id: ep.id })).url).toBe(url);
  });
});
