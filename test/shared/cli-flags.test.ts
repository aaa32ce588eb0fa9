// Whole-number CLI flags: commander gives strings, and Number() would read '' as 0 (a random port for --port),
// '1e3' as 1000 and '0x10' as 16. The flag schemas take digits only, or a number passed directly, within the flag's
// range, and say what was given when they refuse it.
import { describe, expect, it } from 'vitest';
import { ListenFlags, SendFlags, ServeFlags, VerifyFlags } from '../../src/shared';

const problem = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.success ? null : r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

describe('whole-number flags', () => {
  it('take digits or a number within the range, and the default when absent', () => {
    expect(ServeFlags.parse({ port: '8080' }).port).toBe(8080);
    expect(ServeFlags.parse({ port: 0 }).port).toBe(0);
    expect(ServeFlags.parse({}).port).toBe(7777);
    expect(ServeFlags.parse({ inboxPort: '65535' }).inboxPort).toBe(65_535);
    expect(ListenFlags.parse({ status: '503', failFirst: '2', delay: '0' })).toMatchObject({
      status: 503,
      failFirst: 2,
      delay: 0,
    });
    expect(SendFlags.parse({ url: 'http://127.0.0.1:9/x', type: 'a.b', retries: '3', timeout: '100' })).toMatchObject({
      retries: 3,
      timeout: 100,
    });
  });

  it('refuse anything else, naming the range and what was given', () => {
    for (const [given, shown] of [
      ['abc', '"abc"'],
      ['', '""'],
      ['1e3', '"1e3"'],
      ['0x10', '"0x10"'],
      ['-1', '"-1"'],
      [' 80', '" 80"'],
      ['70000', '70000'],
      [1.5, '1.5'],
      [Number.NaN, 'NaN'],
    ] as const) {
      expect(problem(ServeFlags.safeParse({ port: given })), String(given)).toBe(
        `port: must be a whole number from 0 to 65535, got ${shown}`,
      );
    }
    expect(problem(ListenFlags.safeParse({ status: '99' }))).toBe(
      'status: must be a whole number from 100 to 599, got 99',
    );
    const verify = { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', headers: 'h.json', body: 'b.txt' };
    expect(problem(VerifyFlags.safeParse({ ...verify, tolerance: '5m' }))).toBe(
      'tolerance: must be a whole number from 0 to 31536000, got "5m"',
    );
  });
});
