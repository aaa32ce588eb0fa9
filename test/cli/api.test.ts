// `hookbench api` as a user runs it beside a real serve: any route of the contract called by name, its input given
// as JSON text, a file, standard input or --field / --json-field, its answer printed as JSON; a bad route or input is
// refused before anything is called (exit 2, nothing written), the engine's refusal is exit 1 with its code; and the
// same command on serve's database once serve has stopped.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client';
import { routes } from '../../src/shared';
import { killAll } from '../support/children';
import { runCli } from '../support/cli';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { type Serve, startServe } from '../support/serve';
import { tempDbPath, tempDir } from '../support/temp';
import { waitFor } from '../support/wait';

const children: ChildProcess[] = [];
const receivers: TestReceiver[] = [];
afterAll(() => killAll(children));
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function stopServe(serve: Serve): Promise<void> {
  process.kill(serve.child.pid as number, 'SIGTERM');
  await serve.exit;
}

describe('hookbench api', () => {
  it('lists every route of the contract without a route', async () => {
    const res = await runCli(['api']);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(Object.keys(routes));
    expect(lines).toContainEqual(
      expect.stringMatching(/^deliveries\.retry\s+POST \/api\/v1\/deliveries\/\{id\}\/retry\s+\S/),
    );
  });

  it('calls routes by name through a running serve, with JSON, a file, stdin or fields as input', async () => {
    const dbPath = tempDbPath();
    const serve = await startServe(dbPath);
    children.push(serve.child);
    const r = await startTestReceiver();
    receivers.push(r);
    const server = ['--server', serve.url, '--token', serve.token];

    const created = await runCli([
      'api',
      'endpoints.create',
      JSON.stringify({ url: `${r.url}/hook`, description: 'app', eventTypes: ['order.*'] }),
      ...server,
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const ep = JSON.parse(created.stdout);
    expect(ep).toMatchObject({ url: `${r.url}/hook`, description: 'app', secret: expect.stringMatching(/^whsec_/) });

    // an event from a file, another from standard input (fields win over the input's keys)
    const file = join(tempDir(), 'event.json');
    writeFileSync(file, JSON.stringify({ type: 'order.created', validate: false, data: { n: 1 } }));
    const fromFile = await runCli(['api', 'events.create', `@${file}`, ...server]);
    expect(fromFile.code).toBe(0);
    const fromStdin = await runCli(['api', 'events.create', '-', '-f', 'type=order.shipped', ...server], {
      input: JSON.stringify({ type: 'ignored.type', validate: false, data: { n: 2 } }),
    });
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({ type: 'order.shipped', data: { n: 2 } });
    await waitFor(() => r.requests.length === 2);

    const client = createClient({ baseUrl: serve.url, token: serve.token });
    try {
      await waitFor(async () => (await client.call('deliveries.count', { status: ['succeeded'] })).count === 2);
      // GET routes take their query as fields; --json-field gives a number
      const listed = await runCli(['api', 'deliveries.list', '-f', 'type=order.shipped', '-F', 'limit=5', ...server]);
      expect(listed.code).toBe(0);
      const page = JSON.parse(listed.stdout);
      expect(page.data).toHaveLength(1);
      expect(page.data[0]).toMatchObject({ endpointId: ep.id, eventType: 'order.shipped', status: 'succeeded' });

      // every page of a list, one item a page, as one list (newest first, as the pages come)
      const all = await runCli(['api', 'deliveries.list', '-F', 'limit=1', '--paginate', ...server]);
      expect(all.code).toBe(0);
      const every = JSON.parse(all.stdout);
      expect(every.nextCursor).toBeNull();
      expect(every.data.map((d: { eventType: string }) => d.eventType)).toEqual(['order.shipped', 'order.created']);

      // a move: sent again
      const retried = await runCli(['api', 'deliveries.retry', '-f', `id=${page.data[0].id}`, ...server]);
      expect(retried.code).toBe(0);
      await waitFor(() => r.requests.length === 3);
      expect(JSON.parse(r.requests[2]?.body as string)).toMatchObject({ type: 'order.shipped' });

      // refused before calling: unknown route, input the route's schema refuses, not JSON; nothing written
      const refused: Array<[string[], string]> = [
        [['api', 'endpoint.create'], 'no route named "endpoint.create"; did you mean endpoints.create?'],
        [['api', 'event-types.list'], 'did you mean eventTypes.list?'],
        [['api', 'eventtypes.list'], 'did you mean eventTypes.list?'],
        [['api', 'Deliveries.Lsit'], 'did you mean deliveries.list?'],
        [['api', 'nothing.like.it'], 'no route named "nothing.like.it"; `hookbench api` lists the routes'],
        [['api', 'endpoints.gett'], 'endpoints.* routes: endpoints.list, endpoints.create'],
        [['api', 'endpoints.create', '{"url":"not a url"}'], 'endpoints.create: url:'],
        [['api', 'endpoints.create', '-F', 'url=5'], 'endpoints.create: url:'],
        [['api', 'endpoints.create', '{"url":"http://127.0.0.1:9/x","bogus":1}'], 'bogus: unknown key "bogus"'],
        [['api', 'endpoints.create', '{"url":'], 'the input: not valid JSON'],
        [['api', 'endpoints.create', '[]'], 'the input: give a JSON object'],
        [['api', 'endpoints.create', '@/nonexistent/event.json'], 'cannot read /nonexistent/event.json (ENOENT)'],
        [['api', 'endpoints.get', '-f', 'no-equals'], '--field "no-equals": give key=value'],
        [['api', 'endpoints.get', '-F', 'id=[1'], '--json-field "id=[1": not valid JSON'],
        [['api', '{"id":1}'], 'no route named "{\\"id\\":1}"'],
        [
          ['api', 'endpoints.list', '--paginate'],
          '--paginate: endpoints.list answers in one piece (paged routes: events.list',
        ],
      ];
      for (const [args, message] of refused) {
        const res = await runCli([...args, ...server]);
        expect(res.code, args.join(' ')).toBe(2);
        expect(res.stderr, args.join(' ')).toContain(message);
        expect(res.stdout, args.join(' ')).toBe('');
      }
      expect((await client.call('endpoints.list', {})).data).toHaveLength(1);

      // the engine's refusals: exit 1 with the code, the message and the keys at fault
      const missing = await runCli(['api', 'deliveries.retry', '-f', 'id=dlv_missing', ...server]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^hookbench: deliveries\.retry: not_found: .*dlv_missing/);
      const denied = await runCli(['api', 'endpoints.list', '--server', serve.url, '--token', 'wrong']);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain('endpoints.list: unauthorized');
    } finally {
      client.close();
    }

    // on serve's database once serve has stopped: the same answers
    await stopServe(serve);
    const offline = await runCli(['api', 'endpoints.get', '-f', `id=${ep.id}`, '--db', dbPath]);
    expect(offline.stderr).toBe('');
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ id: ep.id, url: `${r.url}/hook` });
    const typo = await runCli(['api', 'endpoints.list', '--db', join(tempDir(), 'typo.db')]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('no database at');
  });
});
