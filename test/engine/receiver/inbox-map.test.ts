// The receiver's map of inboxes: a store read applies only to inboxes nothing changed since the read began, so a
// slow reload never puts back a script (or an inbox) that a write through the service has just replaced.
import { describe, expect, it } from 'vitest';
import { InboxMap } from '../../../src/main/engine/receiver/inbox-map';
import { ResponseScript } from '../../../src/shared';

const script = (status: number) => ResponseScript.parse({ status });
const target = (status: number, endpointId: string | null = null) => ({ endpointId, script: script(status) });

describe('InboxMap', () => {
  it('a read that began before a write does not overwrite it; one that began after does', () => {
    const map = new InboxMap();
    const before = map.version();
    map.set('a', target(201));
    map.setIfUnchanged('a', target(200), before);
    expect(map.get('a')?.script.status).toBe(201);
    const after = map.version();
    map.setIfUnchanged('a', target(202, 'ep'), after);
    expect(map.get('a')).toEqual(target(202, 'ep'));
  });

  it('of two overlapping reads of one inbox, the first to land wins over the older one', () => {
    const map = new InboxMap();
    const first = map.version();
    const second = map.version();
    map.setIfUnchanged('a', target(203), second);
    map.setIfUnchanged('a', target(200), first);
    expect(map.get('a')?.script.status).toBe(203);
  });

  it('replaceAll drops inboxes the read lacks and adds new ones, but keeps what changed meanwhile', () => {
    const map = new InboxMap();
    map.set('gone', target(200));
    map.set('kept', target(200));
    const since = map.version();
    map.set('fresh', target(201));
    map.set('kept', target(204));
    map.replaceAll(
      [
        { id: 'kept', ...target(200) },
        { id: 'other', ...target(202) },
      ],
      since,
    );
    expect(map.get('gone')).toBeUndefined();
    expect(map.get('kept')?.script.status).toBe(204);
    expect(map.get('fresh')?.script.status).toBe(201);
    expect(map.get('other')?.script.status).toBe(202);
  });

  it('a deletion is a change too: a read that began before it does not bring the inbox back', () => {
    const map = new InboxMap();
    map.set('a', target(200));
    const before = map.version();
    map.set('a', null);
    map.setIfUnchanged('a', target(200), before);
    map.replaceAll([{ id: 'a', ...target(200) }], before);
    expect(map.get('a')).toBeUndefined();
  });
});
