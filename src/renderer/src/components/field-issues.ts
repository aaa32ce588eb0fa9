// Forms validate with the contract's own schemas, whose messages are written for API callers ("Too small: expected
// number to be >=100", "maxDelayMs must be at least initialDelayMs"). This says the same about the fields a person
// sees ("Timeout must be at least 100 ms"), for every form, given how each names its fields.
import type { z } from 'zod';
import { humanizeMs } from './format';

/** How a sentence names a field, and the unit its numbers are in. */
export interface FieldNoun {
  name: string;
  unit?: 'ms' | 'days' | 'per second';
}

/** Field nouns by issue path (`timeoutMs`, `retry.maxDelayMs`). */
export type FieldNouns = Readonly<Record<string, FieldNoun>>;

/** An empty or non-numeric input: forms hand it to the schema as NaN. */
const ENTER_A_NUMBER = 'Enter a number';

function amount(n: number, unit: FieldNoun['unit']): string {
  switch (unit) {
    case 'ms':
      return n >= 1000 ? `${n} ms (${humanizeMs(n)})` : `${n} ms`;
    case 'days':
      return n === 1 ? '1 day' : `${n} days`;
    case 'per second':
      return `${n} per second`;
    default:
      return String(n);
  }
}

/**
 * A schema's own message (a refine's) names fields by their keys (`maxDelayMs`): by their nouns instead, lower case
 * inside a sentence. Only camelCase keys, which no sentence uses as a word.
 */
function withNouns(message: string, nouns: FieldNouns): string {
  let out = message;
  for (const [path, noun] of Object.entries(nouns)) {
    const key = path.split('.').at(-1) ?? path;
    if (!/[a-z][A-Z]/.test(key)) continue;
    out = out.replace(new RegExp(`\\b${key}\\b`, 'g'), (_m, at: number) =>
      at === 0 ? noun.name : noun.name.toLowerCase(),
    );
  }
  return out;
}

/** One issue as a sentence about its field; zod's message when this has no better words for it. */
function fieldMessage(issue: z.core.$ZodIssue, nouns: FieldNouns): string {
  const noun = nouns[issue.path.map(String).join('.')];
  if (issue.code === 'invalid_type' && issue.expected === 'number') return ENTER_A_NUMBER;
  if (issue.code === 'custom') return withNouns(issue.message, nouns);
  if (!noun) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? `${noun.name} must be a whole number` : issue.message;
    case 'too_small':
      if (issue.origin === 'number') {
        const bound = issue.inclusive ? 'at least' : 'more than';
        return `${noun.name} must be ${bound} ${amount(Number(issue.minimum), noun.unit)}`;
      }
      return issue.origin === 'string' && Number(issue.minimum) === 1 ? `${noun.name} is required` : issue.message;
    case 'too_big':
      if (issue.origin === 'number') {
        const bound = issue.inclusive ? 'at most' : 'less than';
        return `${noun.name} must be ${bound} ${amount(Number(issue.maximum), noun.unit)}`;
      }
      return issue.origin === 'string' ? `${noun.name} must be at most ${issue.maximum} characters` : issue.message;
    default:
      return issue.message;
  }
}

/** A form's inline errors: one sentence per field path (the first issue wins), as `issuesByPath` but in words. */
export function fieldMessages(issues: readonly z.core.$ZodIssue[], nouns: FieldNouns): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    out[key] ??= fieldMessage(issue, nouns);
  }
  return out;
}
