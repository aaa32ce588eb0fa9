// How a bad flag is named in the CLI's usage errors: as the user typed it, the value at fault for a repeatable one.
import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from '../../src/main/cli/flags';
import { ReplayFlags, SendFlags, TailFlags, TriggerFlags } from '../../src/shared';

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

  it('says a required flag is missing rather than how zod sees undefined; checks a tail --type as a type or family', () => {
    expect(problem(() => parseFlags(ReplayFlags, { server: 'http://127.0.0.1:1', since: '1h' }))).toBe(
      'missing --endpoint',
    );
    expect(problem(() => parseFlags(TailFlags, {}))).toBe('missing --server');
    // every one not given, at once, before what is wrong with the others
    expect(problem(() => parseFlags(SendFlags, { retries: 'x' }))).toMatch(/^missing --url, --type; --retries: /);
    // given but of the wrong kind is still said as the value's problem
    expect(problem(() => parseFlags(ReplayFlags, { server: 'x', endpoint: 'a', since: '1h' }))).toMatch(/^--server: /);
    expect(problem(() => parseFlags(TailFlags, { server: 'http://127.0.0.1:1', type: 'bad type' }))).toBe(
      '--type: an event type, a prefix like invoice.* or *',
    );
    expect(parseFlags(TailFlags, { server: 'http://127.0.0.1:1', type: 'invoice.*' }).type).toBe('invoice.*');
  });

  it('names other flags in kebab case, as typed', () => {
    expect(problem(() => parseFlags(TriggerFlags, { idempotencyKey: '' }))).toMatch(/^--idempotency-key: /);
    expect(problem(() => parseFlags(TriggerFlags, { timeout: '0' }))).toBe(
      '--timeout: must be a whole number from 1 to 3600, got 0',
    );
  });
});
