// Pure helpers of the workbench UI v2 (issue 13): what an inbox row is named after, the export file name, the
// default "Test to" endpoint, endpoints a lower auto-disable threshold would disable, inbox link offers.
import { testTarget } from '@renderer/features/compose/compose-actions';
import { exportFileName } from '@renderer/features/inbox/inbox-export';
import { endpointsPointingAt } from '@renderer/features/inbox/inbox-link';
import { summarizeRequest } from '@renderer/features/inbox/request-summary';
import { endpointsAtThreshold } from '@renderer/features/settings/threshold-warning';
import { type Inbox, ResponseScript } from '@shared';
import { describe, expect, it } from 'vitest';
import { makeEndpoint } from '../support';

describe('summarizeRequest', () => {
  it('reads the event type and webhook id of each scheme', () => {
    expect(summarizeRequest({ headers: { 'webhook-id': 'msg_1' }, body: '{"type":"invoice.paid"}' })).toEqual({
      eventType: 'invoice.paid',
      webhookId: 'msg_1',
    });
    expect(
      summarizeRequest({ headers: { 'x-github-event': 'push', 'x-github-delivery': 'd-1' }, body: '{"ref":"x"}' }),
    ).toEqual({ eventType: 'push', webhookId: 'd-1' });
    expect(
      summarizeRequest({
        headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': 's-1' },
        body: '{"id":5}',
      }),
    ).toEqual({ eventType: 'orders/create', webhookId: 's-1' });
    expect(
      summarizeRequest({ headers: { 'stripe-signature': 't=1,v1=x' }, body: '{"id":"evt_1","type":"charge.failed"}' }),
    ).toEqual({ eventType: 'charge.failed', webhookId: 'evt_1' });
    // no convention: nothing invented (the row falls back to method and path)
    expect(summarizeRequest({ headers: {}, body: 'plain text' })).toEqual({ eventType: null, webhookId: null });
    expect(summarizeRequest({ headers: {}, body: '{"id":"x"}' })).toEqual({ eventType: null, webhookId: null });
  });
});

describe('exportFileName', () => {
  it('names the file after the inbox and the time, safe for every file system', () => {
    const at = new Date('2026-11-30T06:35:21.584Z');
    expect(exportFileName({ id: 'abc', name: 'Billing inbox' }, 'har', at)).toBe(
      'Billing-inbox-2026-11-30-06-35-21.har',
    );
    expect(exportFileName({ id: '1af3d725-9528', name: '' }, 'json', at)).toBe(
      'inbox-1af3d725-2026-11-30-06-35-21.json',
    );
    expect(exportFileName({ id: 'x', name: '../../etc' }, 'json', at)).toBe('..-..-etc-2026-11-30-06-35-21.json');
  });
});

describe('testTarget', () => {
  const off = makeEndpoint({ id: 'ep_off', enabled: false });
  const on = makeEndpoint({ id: 'ep_on' });
  it('keeps the endpoint picked before, else the first enabled one, else the first', () => {
    expect(testTarget([off, on], null)?.id).toBe('ep_on');
    expect(testTarget([off, on], 'ep_off')?.id).toBe('ep_off');
    expect(testTarget([off, on], 'gone')?.id).toBe('ep_on');
    expect(testTarget([off], null)?.id).toBe('ep_off');
    expect(testTarget([], null)).toBeUndefined();
  });
});

describe('endpointsAtThreshold', () => {
  const failing = (id: string, consecutiveFailures: number, enabled = true) =>
    makeEndpoint({ id, enabled, stats: { ...makeEndpoint().stats, consecutiveFailures } });
  it('lists enabled endpoints whose next failure reaches the threshold; 0 means never', () => {
    const three = failing('a', 3);
    const two = failing('d', 2);
    const one = failing('b', 1);
    const none = failing('e', 0);
    const disabled = failing('c', 9, false);
    const all = [three, two, one, none, disabled];
    // the engine counts a failure, then compares: 2 failures in a row and a threshold of 3 disable at the next one
    expect(endpointsAtThreshold(all, 4).map((e) => e.id)).toEqual(['a']);
    expect(endpointsAtThreshold(all, 3).map((e) => e.id)).toEqual(['a', 'd']);
    expect(endpointsAtThreshold(all, 2).map((e) => e.id)).toEqual(['a', 'd', 'b']);
    // at 1 any failure disables: the endpoints failing now are named, not every endpoint
    expect(endpointsAtThreshold(all, 1).map((e) => e.id)).toEqual(['a', 'd', 'b']);
    expect(endpointsAtThreshold(all, 0)).toEqual([]);
  });
  it('leaves out an endpoint with a threshold of its own: the settings do not decide for it', () => {
    const own = makeEndpoint({ id: 'own', autoDisableThreshold: 50, stats: { ...failing('x', 9).stats } });
    expect(endpointsAtThreshold([own, failing('a', 3)], 4).map((e) => e.id)).toEqual(['a']);
  });
});

describe('endpointsPointingAt', () => {
  it('offers endpoints that send to the inbox URL (or below it) and are not its link', () => {
    const inbox: Inbox = {
      id: 'inb',
      name: '',
      url: 'http://127.0.0.1:9/in/inb',
      endpointId: 'linked',
      script: ResponseScript.parse({}),
      requestCount: 0,
      createdAt: '2026-11-30T00:00:00.000Z',
      forwardUrl: null,
    };
    const eps = [
      makeEndpoint({ id: 'linked', url: inbox.url }),
      makeEndpoint({ id: 'exact', url: inbox.url }),
      makeEndpoint({ id: 'below', url: `${inbox.url}/hooks` }),
      makeEndpoint({ id: 'other', url: 'http://127.0.0.1:9/in/inb2' }),
    ];
    expect(endpointsPointingAt(inbox, eps).map((e) => e.id)).toEqual(['exact', 'below']);
  });
});
