// The engine starts the built-in receiver unless told not to, reports its URL and stops it.
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { call, startEngine } from '../support/engine';

describe('engine and inbox receiver', () => {
  it('starts the receiver on 127.0.0.1, reports it, and closes it on stop', async () => {
    const engine = await startEngine({ inbox: {} });
    const base = engine.inboxBaseUrl();
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await call(engine, 'system.status', {})).inboxBaseUrl).toBe(base);
    const res = await request(`${base}/in/unknown`, { method: 'POST', body: '{}' });
    await res.body.text();
    expect(res.statusCode).toBe(404);
    await engine.stop();
    expect(engine.inboxBaseUrl()).toBeNull();
    await expect(request(`${base}/in/unknown`, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('inbox: false starts none', async () => {
    const engine = await startEngine({ inbox: false });
    expect(engine.inboxBaseUrl()).toBeNull();
  });
});
