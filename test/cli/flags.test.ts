// How a bad flag is named in the CLI's usage errors: as the user typed it, the value at fault for a repeatable one.
import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from '../../src/main/cli/flags';
import { SendFlags, TailFlags, TriggerFlags } from '../../src/shared';

const problem = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('no usage error');
};

describe('parseFlags', () => {
  it('names a repeatable flag by the value at fault, not by its index', () => {
    expect(
      problem(() => parseFlags(SendFlags, { url: 'http://127.0.0.1:1/', type: 'a.b', header: ['A: 1', 'NoColon'] })),
    ).toBe(`--header "NoColon": headers are given as 'Name: value'`);
    expect(problem(() => parseFlags(TailFlags, { server: 'http://127.0.0.1:1', status: ['failed', 'done'] }))).toMatch(
      /^--status "done": Invalid option: expected one of/,
    );
  });

  it('names other flags in kebab case, as typed', () => {
    expect(problem(() => parseFlags(TriggerFlags, { idempotencyKey: '' }))).toMatch(/^--idempotency-key: /);
    expect(problem(() => parseFlags(TriggerFlags, { timeout: '0' }))).toBe(
      '--timeout: must be a whole number from 1 to 3600, got 0',
    );
  });
});
