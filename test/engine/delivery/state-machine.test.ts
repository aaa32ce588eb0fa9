// The delivery state machine: one module owns every status write, and its table keeps terminal states terminal.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MANUAL, TERMINAL, TRANSITIONS, type Transition, transition } from '../../../src/main/engine/delivery/state';
import { DeliveryStatus } from '../../../src/shared';

const ENGINE = join(__dirname, '../../../src/main/engine');
const OWNER = 'delivery/state.ts';
// the same machine on PostgreSQL, its WHERE clauses built from the same table (fromClause)
const OWNERS = [OWNER, 'store/pg/delivery-states.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('status writes', () => {
  it('happen in delivery/state.ts and its PostgreSQL twin only (migrations aside)', () => {
    const offenders: string[] = [];
    for (const file of sources(ENGINE)) {
      const rel = relative(ENGINE, file);
      if (OWNERS.includes(rel) || rel.startsWith('db/migrations/')) continue;
      const text = readFileSync(file, 'utf8');
      // an UPDATE of deliveries whose SET list names status, or any INSERT of a delivery row
      const updates = text.match(/UPDATE\s+deliveries\s+SET[\s\S]*?(WHERE|RETURNING|`)/gi) ?? [];
      for (const u of updates) if (/[\s,]status\s*=/.test(u.replace(/WHERE[\s\S]*$/i, ''))) offenders.push(rel);
      if (/INSERT\s+(OR\s+\w+\s+)?INTO\s+deliveries\b/i.test(text)) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });

  it('the check itself finds a status write (it would catch one elsewhere)', () => {
    for (const file of OWNERS) {
      const owner = readFileSync(join(ENGINE, file), 'utf8');
      expect(owner).toMatch(/UPDATE deliveries SET status = /);
      expect(owner).toMatch(/INSERT INTO deliveries/);
    }
  });
});

describe('transition table', () => {
  const statuses = DeliveryStatus.options;
  const names = Object.keys(TRANSITIONS) as Transition[];
  const engineMoves = names.filter((t) => !MANUAL.includes(t));

  it('no engine transition leaves a terminal state, over any sequence of events', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.array(fc.tuple(fc.constantFrom(...engineMoves), fc.constantFrom(...statuses)), { maxLength: 60 }),
        (start, events) => {
          let s = start;
          // once a delivery reaches a terminal state, it stays in that very state
          let settled: string | null = TERMINAL.includes(s) ? s : null;
          for (const [t, to] of events) {
            const next = transition(s, t, to);
            if (next !== null) s = next;
            if (settled !== null) expect(s).toBe(settled);
            else if (TERMINAL.includes(s)) settled = s;
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('only a person reopens a finished delivery, and only to pending or paused', () => {
    for (const t of names)
      for (const from of TERMINAL)
        for (const to of statuses) {
          const next = transition(from, t, to);
          if (next !== null) {
            expect(t).toBe('reopen');
            expect(['pending', 'paused']).toContain(next);
          }
        }
  });

  it('only a claim moves a delivery to sending, and every move out of sending is fenced by its lease', () => {
    for (const t of names) {
      const rule = TRANSITIONS[t];
      if ((rule.to as readonly string[]).includes('sending')) expect(t).toBe('claim');
    }
    const outOfSending = names.filter((t) => (TRANSITIONS[t].from as readonly string[]).includes('sending'));
    expect(outOfSending.sort()).toEqual(['exhaust', 'expire', 'hold', 'release', 'reschedule', 'succeed']);
  });
});
