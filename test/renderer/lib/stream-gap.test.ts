// A lost push (a reader that fell behind, a stream that reconnected) makes the renderer refetch what it shows.
import { httpClient } from '@renderer/lib/client';
import { subscribeInvalidation } from '@renderer/lib/query';
import { STREAM_PATH, type TopicPayload } from '@shared';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeClient } from '../support';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('stream.gap', () => {
  it('invalidates every query, including those no other topic touches', async () => {
    const client = createFakeClient();
    const qc = new QueryClient();
    for (const key of ['settings.get', 'inboxes.list', 'event-types.list', 'deliveries.get']) {
      qc.setQueryData([key], { cached: true });
    }
    cleanups.push(subscribeInvalidation(client, qc, 10));
    client.emit('settings.updated', {});
    await new Promise((r) => setTimeout(r, 30));
    expect(qc.getQueryState(['inboxes.list'])?.isInvalidated).toBe(false);

    client.emit('stream.gap', { dropped: 12 });
    for (const key of ['settings.get', 'inboxes.list', 'event-types.list', 'deliveries.get']) {
      expect(qc.getQueryState([key])?.isInvalidated).toBe(true);
    }
  });

  it('is reported by the HTTP client when its event stream reconnects, not on the first connection', async () => {
    // The stream endpoint, as far as the client sees it: each fetch of it is one connection the test can end.
    const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
    const urls: string[] = [];
    const encoder = new TextEncoder();
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      const body = new ReadableStream<Uint8Array>({ start: (c) => void streams.push(c) });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    });
    cleanups.push(() => {
      vi.unstubAllGlobals();
    });
    const client = httpClient('http://127.0.0.1:7777', () => 'token');
    const gaps: TopicPayload<'stream.gap'>[] = [];
    const settings: unknown[] = [];
    cleanups.push(client.on('stream.gap', (p) => gaps.push(p)));
    cleanups.push(client.on('settings.updated', (p) => settings.push(p)));

    await waitFor(() => streams.length === 1);
    streams[0]?.enqueue(encoder.encode(': connected\n\nevent: settings.updated\ndata: {}\n\n'));
    await waitFor(() => settings.length === 1);
    expect(gaps).toEqual([]);

    // the server ends the stream: the client reconnects and says pushes may have been missed meanwhile
    streams[0]?.close();
    await waitFor(() => gaps.length === 1);
    expect(gaps).toEqual([{ dropped: null }]);
    expect(urls).toEqual([`http://127.0.0.1:7777${STREAM_PATH}`, `http://127.0.0.1:7777${STREAM_PATH}`]);
  });
});

async function waitFor(ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
