import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { getScheme } from '../../../src/main/engine/signing';
import type { SignInput } from '../../../src/main/engine/signing/types';

const scheme = getScheme('github');
const body = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'octo-org/hello-world' } });

function input(over: Partial<SignInput> = {}): SignInput {
  return {
    msgId: '3f1c2b8e-6a4d-4c3e-9f0a-1b2c3d4e5f60',
    timestamp: 1_718_878_521,
    body,
    secrets: [scheme.generateSecret()],
    eventType: 'push',
    endpointId: 'ep_github_1',
    ...over,
  };
}

describe('github scheme', () => {
  it('signs X-Hub-Signature-256 with GitHub delivery headers', () => {
    const headers = scheme.sign(input());
    expect(headers['X-Hub-Signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(headers['X-GitHub-Event']).toBe('push');
    expect(headers['X-GitHub-Delivery']).toBe('3f1c2b8e-6a4d-4c3e-9f0a-1b2c3d4e5f60');
    expect(headers['X-GitHub-Hook-ID']).toMatch(/^\d{9}$/);
  });

  it('keeps delivery and hook ids stable across retries and derives a uuid from a non-uuid id', () => {
    const a = scheme.sign(input({ msgId: 'msg_abc', timestamp: 1 }));
    const b = scheme.sign(input({ msgId: 'msg_abc', timestamp: 99 }));
    expect(a['X-GitHub-Delivery']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b['X-GitHub-Delivery']).toBe(a['X-GitHub-Delivery']);
    expect(b['X-GitHub-Hook-ID']).toBe(a['X-GitHub-Hook-ID']);
    expect(scheme.sign(input({ msgId: 'msg_abd' }))['X-GitHub-Delivery']).not.toBe(a['X-GitHub-Delivery']);
    expect(scheme.sign(input({ endpointId: 'ep_other' }))['X-GitHub-Hook-ID']).not.toBe(a['X-GitHub-Hook-ID']);
  });

  it('maps an action-qualified type to the GitHub event name', () => {
    expect(scheme.sign(input({ eventType: 'pull_request.opened' }))['X-GitHub-Event']).toBe('pull_request');
  });

  it('round-trips and is accepted by @octokit/webhooks-methods verify', async () => {
    const i = input();
    const secret = i.secrets[0] as string;
    const sig = scheme.sign(i)['X-Hub-Signature-256'] as string;
    expect(scheme.verify({ headers: { 'x-hub-signature-256': sig }, body, secret, now: 0 })).toEqual({ ok: true });
    expect(await octokitVerify(secret, body, sig)).toBe(true);
  });

  it("verifies octokit's signatures", async () => {
    const secret = scheme.generateSecret();
    const sig = await octokitSign(secret, body);
    expect(scheme.verify({ headers: { 'x-hub-signature-256': sig }, body, secret, now: 0 })).toEqual({ ok: true });
  });

  it('rejects a tampered body and a wrong secret (so does octokit)', async () => {
    const i = input();
    const secret = i.secrets[0] as string;
    const sig = scheme.sign(i)['X-Hub-Signature-256'] as string;
    const tampered = body.replace('main', 'mainx');
    expect(scheme.verify({ headers: { 'x-hub-signature-256': sig }, body: tampered, secret, now: 0 }).ok).toBe(false);
    expect(await octokitVerify(secret, tampered, sig)).toBe(false);
    const other = scheme.generateSecret();
    expect(scheme.verify({ headers: { 'x-hub-signature-256': sig }, body, secret: other, now: 0 }).ok).toBe(false);
    expect(await octokitVerify(other, body, sig)).toBe(false);
  });

  it('signs with the current secret only during a rotation (GitHub has one secret per hook)', async () => {
    const [current, previous] = [scheme.generateSecret(), scheme.generateSecret()];
    const sig = scheme.sign(input({ secrets: [current, previous] }))['X-Hub-Signature-256'] as string;
    expect(await octokitVerify(current, body, sig)).toBe(true);
    expect(await octokitVerify(previous, body, sig)).toBe(false);
  });
});
