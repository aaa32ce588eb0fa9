import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerVerify } from '../../src/main/cli/commands';
import { UsageError } from '../../src/main/cli/flags';
import { main } from '../../src/main/cli/index';
import { parseHeadersJson, runVerify, type VerifyIo } from '../../src/main/cli/verify';
import { getScheme } from '../../src/main/engine/signing';

let dir: string;
const standard = getScheme('standard');
const secret = standard.generateSecret();
const body = '{"id":"msg_1","type":"invoice.paid","data":{"amount":4900}}';
const nowSec = () => Math.floor(Date.now() / 1000);

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** A genuine Standard Webhooks request, headers written the way a user pastes them (provider casing). */
function genuineFiles(tag: string, signWith = secret) {
  const headers = standard.sign({
    msgId: `msg_${tag}`,
    timestamp: nowSec(),
    body,
    secrets: [signWith],
    eventType: 'invoice.paid',
    endpointId: 'ep_1',
  });
  const cased = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.replace(/^w/, 'W'), v]));
  return { headers: write(`${tag}.headers.json`, JSON.stringify(cased)), body: write(`${tag}.body`, body) };
}

/** Runs `verify` through commander exactly as the CLI's main() does (same exit-code mapping), capturing output. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    stdout += String(c);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    stderr += String(c);
    return true;
  });
  const program = new Command('hookbench').exitOverride();
  registerVerify(program);
  let code: number;
  try {
    await program.parseAsync(['verify', ...args], { from: 'user' });
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 2;
    else if (e instanceof UsageError) {
      stderr += `hookbench: ${e.message}\n`;
      code = 2;
    } else throw e;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { code, stdout, stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hookbench-verify-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

describe('hookbench verify', () => {
  it('exits 0 and prints verified for a genuine request', async () => {
    const f = genuineFiles('ok');
    const r = await cli(['--secret', secret, '--headers', f.headers, '--body', f.body]);
    expect(r).toMatchObject({ code: 0, stdout: 'verified\n' });
  });

  it('exits 1 with the reason when one byte of the body changed, and never prints the secret', async () => {
    const f = genuineFiles('tampered');
    const tampered = write('tampered.body.changed', body.replace('4900', '4901'));
    const r = await cli(['--secret', secret, '--headers', f.headers, '--body', tampered]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('not verified: no matching signature\n');
    expect(r.stdout + r.stderr).not.toContain(secret.slice(6));
  });

  it('exits 1 for a wrong secret and for a stale timestamp beyond --tolerance', async () => {
    const f = genuineFiles('wrong', standard.generateSecret());
    expect((await cli(['--secret', secret, '--headers', f.headers, '--body', f.body])).code).toBe(1);
    const stale = JSON.stringify({
      ...standard.sign({
        msgId: 'm',
        timestamp: nowSec() - 120,
        body,
        secrets: [secret],
        eventType: 't',
        endpointId: 'e',
      }),
    });
    const h = write('stale.headers.json', stale);
    const b = write('stale.body', body);
    expect((await cli(['--secret', secret, '--headers', h, '--body', b])).code).toBe(0);
    const r = await cli(['--secret', secret, '--headers', h, '--body', b, '--tolerance', '60']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^not verified: timestamp too old/);
  });

  it('verifies other schemes with --scheme (a request signed by Stripe’s own helper)', async () => {
    const stripeSecret = getScheme('stripe').generateSecret();
    const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: stripeSecret });
    const h = write('stripe.headers.json', JSON.stringify({ 'Stripe-Signature': header }));
    const b = write('stripe.body', body);
    expect((await cli(['--scheme', 'stripe', '--secret', stripeSecret, '--headers', h, '--body', b])).code).toBe(0);
    expect((await cli(['--scheme', 'github', '--secret', stripeSecret, '--headers', h, '--body', b])).code).toBe(1);
  });

  it('reads the body as raw bytes (non-UTF-8 content is signed and checked byte for byte)', async () => {
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    const s = getScheme('shopify').generateSecret();
    // Shopify's documented algorithm over the raw bytes; decoding them as UTF-8 first would change the MAC.
    const mac = createHmac('sha256', s).update(raw).digest('base64');
    const h = write('raw.headers.json', JSON.stringify({ 'X-Shopify-Hmac-Sha256': mac }));
    const b = write('raw.body', raw);
    expect((await cli(['--scheme', 'shopify', '--secret', s, '--headers', h, '--body', b])).code).toBe(0);
  });

  it('exits 2 with a clear message on bad usage', async () => {
    const f = genuineFiles('usage');
    const cases: [string[], RegExp | null][] = [
      [['--headers', f.headers, '--body', f.body], /missing --secret/],
      [['--secret', secret, '--body', f.body], /missing --headers/],
      [['--secret', secret, '--headers', f.headers, '--body', f.body, '--scheme', 'paypal'], /--scheme/],
      [['--secret', secret, '--headers', f.headers, '--body', f.body, '--tolerance', 'soon'], /--tolerance/],
      [['--secret', secret, '--headers', join(dir, 'nope.json'), '--body', f.body], /cannot read .*ENOENT/],
      [['--secret', secret, '--headers', write('arr.json', '["a"]'), '--body', f.body], /JSON object/],
      [['--secret', secret, '--headers', write('bad.json', '{nope'), '--body', f.body], /not valid JSON/],
      [['--secret', secret, '--headers', write('num.json', '{"webhook-id": 5}'), '--body', f.body], /string/],
      [['--secret', 'whsec_***not-base64***', '--headers', f.headers, '--body', f.body], /whsec_/],
      [['--secret', secret, '--headers', '-', '--body', '-'], /only one of/],
      [['--secret', secret, '--headers', f.headers, '--body', f.body, '--frobnicate'], null],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      if (message) expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toContain(secret.slice(6));
    }
  });
});

// The real entry point, as bin/hookbench.js calls it.
describe('hookbench verify through main()', () => {
  async function run(args: string[]) {
    let stdout = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      stdout += String(c);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      return { code: await main(['verify', ...args]), stdout };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('0 for the genuine request, 1 with one byte changed, 2 for bad flags', async () => {
    const f = genuineFiles('main');
    expect(await run(['--secret', secret, '--headers', f.headers, '--body', f.body])).toEqual({
      code: 0,
      stdout: 'verified\n',
    });
    const changed = write('main.body.changed', body.replace('msg_1', 'msg_2'));
    const r = await run(['--secret', secret, '--headers', f.headers, '--body', changed]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^not verified: /);
    expect((await run(['--secret', secret, '--headers', f.headers])).code).toBe(2);
    expect((await run(['--secret', secret, '--headers', f.headers, '--body', f.body, '--bogus'])).code).toBe(2);
    // a success after failures still exits 0 (process.exitCode is reset by the command)
    expect((await run(['--secret', secret, '--headers', f.headers, '--body', f.body])).code).toBe(0);
  });
});

describe('runVerify with stdin', () => {
  const io = (stdin: string | Buffer, lines: string[]): VerifyIo => ({
    readStdin: async () => Buffer.from(stdin),
    out: (l) => lines.push(l),
    now: nowSec,
  });

  it('reads the body from stdin with --body -', async () => {
    const f = genuineFiles('stdin-body');
    const lines: string[] = [];
    expect(await runVerify({ secret, headers: f.headers, body: '-' }, io(body, lines))).toBe(0);
    expect(lines).toEqual(['verified']);
    expect(await runVerify({ secret, headers: f.headers, body: '-' }, io(`${body}\n`, lines))).toBe(1);
  });

  it('reads the headers from stdin with --headers -', async () => {
    const headers = standard.sign({
      msgId: 'm',
      timestamp: nowSec(),
      body,
      secrets: [secret],
      eventType: 't',
      endpointId: 'e',
    });
    const lines: string[] = [];
    const b = write('stdin-headers.body', body);
    expect(await runVerify({ secret, headers: '-', body: b }, io(JSON.stringify(headers), lines))).toBe(0);
  });
});

describe('parseHeadersJson', () => {
  it('lower-cases names and keeps arrays; names equal but for case become a repeated header', () => {
    expect(parseHeadersJson('{"Webhook-Id":"a","X-Multi":["1","2"],"x-one":["z"]}')).toEqual({
      'webhook-id': 'a',
      'x-multi': ['1', '2'],
      'x-one': 'z',
    });
    expect(parseHeadersJson('{"Webhook-Id":"a","webhook-id":"b"}')).toEqual({ 'webhook-id': ['a', 'b'] });
  });
});
