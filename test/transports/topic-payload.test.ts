import { describe, expect, it } from 'vitest';
import { checkTopicPayload } from '../../src/main/transports/topic-payload';
import { recordingLog } from '../support/log';
import { deliveryUpdate as update } from '../support/topics';

describe('checkTopicPayload', () => {
  it('strips a payload to its topic schema', () => {
    const r = checkTopicPayload('delivery.updated', { ...update('dlv_1', 'sending'), body: 'not for the UI' });
    expect(r).toEqual({ ok: true, topic: 'delivery.updated', payload: update('dlv_1', 'sending') });
  });

  it('refuses a payload outside the schema and logs the topic, not the payload', () => {
    const log = recordingLog();
    expect(checkTopicPayload('delivery.updated', { id: 'dlv_1', status: 'exploded' }, log)).toEqual({ ok: false });
    expect(log.entries).toEqual([
      { level: 'warn', msg: 'push payload outside its topic schema', fields: { topic: 'delivery.updated' } },
    ]);
  });

  it('refuses a topic the contract does not declare', () => {
    const log = recordingLog();
    expect(checkTopicPayload('delivery.deleted', { id: 'dlv_1' }, log)).toEqual({ ok: false });
    expect(log.entries.map((e) => e.msg)).toEqual(['push on a topic outside the contract']);
  });

  it('accepts stream.gap with a count or with none', () => {
    expect(checkTopicPayload('stream.gap', { dropped: 3 }).ok).toBe(true);
    expect(checkTopicPayload('stream.gap', { dropped: null }).ok).toBe(true);
    expect(checkTopicPayload('stream.gap', { dropped: -1 }).ok).toBe(false);
  });
});
