// The composer: inline validation gates Send (schema problems come from eventTypes.validate; Send anyway sends
// with validate:false), Send/Preview/Send test call the contract with the right input, Copy as curl copies the
// exact request, and drafts survive a reload.
import { installShortcuts } from '@renderer/app/shortcuts';
import { useToasts } from '@renderer/components';
import { ComposePage } from '@renderer/features/compose/ComposePage';
import { useComposeStore } from '@renderer/features/compose/compose-store';
import { buildCurl } from '@renderer/features/compose/curl';
import { ApiError } from '@renderer/lib/client';
import { triggerCommand } from '@shared';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EditorView } from '@uiw/react-codemirror';
import { Ajv2020 } from 'ajv/dist/2020';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFakeClient,
  type FakeHandlers,
  groupOptions,
  makeEndpoint,
  makeEvent,
  renderWithClient,
} from '../support';
import { endpointA, endpointB, invoicePaid, signedHeaders, stripeProfile, userCreated } from './fixtures';

const initial = useComposeStore.getState();

// Stands in for the engine's validator behind eventTypes.validate: Ajv 2020-12, answering in the contract's shape.
// Compiled once, here: Ajv's first compile is slow enough on a busy machine to outlast a waitFor.
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validators = new Map([[invoicePaid.name, ajv.compile(invoicePaid.schema)]]);
function validateLikeTheEngine(input: { type?: string; data: unknown }) {
  const validate = input.type ? validators.get(input.type) : undefined;
  if (!validate) return { checked: false, valid: true, schemaError: null, issues: [] };
  const valid = validate(input.data) as boolean;
  const issues = (validate.errors ?? []).map((e) => ({
    instancePath: e.instancePath,
    message: e.message ?? '',
    keyword: e.keyword,
  }));
  return { checked: true, valid, schemaError: null, issues };
}

function setup(over: FakeHandlers = {}) {
  const client = createFakeClient({
    'eventTypes.list': () => ({ data: [invoicePaid, userCreated], nextCursor: null }),
    'profiles.list': () => ({ data: [stripeProfile], nextCursor: null }),
    'eventTypes.validate': (input) => validateLikeTheEngine(input),
    'endpoints.list': () => ({ data: [endpointA, endpointB], nextCursor: null }),
    'events.create': (input) =>
      makeEvent({
        id: 'evt_77',
        type: input.type,
        data: input.data,
        deliveries: [{ id: 'dlv_1', endpointId: 'ep_a', status: 'pending', maxAttempts: 8 }],
      }),
    'events.preview': (input) => ({
      envelope: {
        id: 'evt_9',
        type: input.type,
        version: 'v1',
        created_at: '2026-11-26T12:00:00.000Z',
        data: input.data,
      },
      requests: [
        {
          endpointId: 'ep_a',
          url: endpointA.url,
          method: 'POST' as const,
          headers: signedHeaders,
          body: JSON.stringify({ id: 'evt_9', type: input.type, data: input.data }),
        },
      ],
    }),
    'webhooks.test': (input) => ({
      deliveryId: 'dlv_test',
      eventId: 'evt_t',
      attempt: {
        number: 1,
        startedAt: '2026-11-26T12:00:00.000Z',
        durationMs: 42,
        request: { url: endpointA.url, method: 'POST', headers: signedHeaders, body: JSON.stringify(input.data) },
        response: { status: 418, headers: { 'x-teapot': 'yes' }, body: '{"short":"stout"}', truncated: false },
        error: null,
        succeeded: false,
        superseded: false,
      },
    }),
    ...over,
  });
  return renderWithClient(<ComposePage />, { client });
}

/** Replaces the editor's text the way typing does: a CodeMirror transaction. */
async function typeJson(text: string) {
  const dom = document.querySelector('.cm-editor') as HTMLElement;
  const view = EditorView.findFromDOM(dom);
  if (!view) throw new Error('no editor');
  await act(async () => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  });
}

/** the engine's verdict is one more round trip (eventTypes.validate) before Send settles */
const CHECKED = { timeout: 5000 };
const FIXTURE_ISO = '2026-11-26T12:00:00.000Z';
const sendButton = () => screen.getByRole('button', { name: 'Send' });
const problems = () => screen.queryByRole('list', { name: 'Problems' });

beforeEach(() => {
  localStorage.clear();
  useComposeStore.setState(initial, true);
  useToasts.setState({ toasts: [] });
});
afterEach(() => localStorage.clear());

describe('Compose', () => {
  it('loads the template of invoice.paid into the editor', async () => {
    setup();
    await waitFor(() => expect(document.querySelector('.cm-content')?.textContent).toContain('inv_1042'));
    expect((screen.getByRole('combobox', { name: 'Event type' }) as HTMLSelectElement).value).toBe('type:invoice.paid');
    await waitFor(() => expect((sendButton() as HTMLButtonElement).disabled).toBe(false), CHECKED);
  });

  it('shows a syntax error and disables Send with the reason', async () => {
    setup();
    await screen.findByText('inv_1042', { exact: false });
    await typeJson('{ "object": { "id": "x", }');
    await waitFor(() => expect(problems()).not.toBeNull(), CHECKED);
    const list = problems() as HTMLElement;
    expect(within(list).getByText('Syntax')).toBeTruthy();
    expect((sendButton() as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/^Fix the JSON:/).textContent).toMatch(/JSON/);
  });

  it('shows schema violations inline and in the list, holds back Send, and offers Send anyway', async () => {
    const { client } = setup();
    await screen.findByText('inv_1042', { exact: false });
    await typeJson('{"object": {"id": "inv_1", "amount_paid": "lots", "currency": "EUR"}}');
    await waitFor(() => expect(problems()).not.toBeNull(), CHECKED);
    const list = problems() as HTMLElement;
    expect(within(list).getByText('object.amount_paid: must be integer')).toBeTruthy();
    expect(within(list).getByText('object.currency: must match pattern "^[a-z]{3}$"')).toBeTruthy();
    expect((sendButton() as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('2 schema violations to fix')).toBeTruthy();
    // the editor underlines them too (CodeMirror's lint decorations)
    await waitFor(() => expect(document.querySelectorAll('.cm-lintRange-error').length).toBeGreaterThan(0), {
      timeout: 3000,
    });
    fireEvent.click(sendButton());
    expect(client.callsOf('events.create')).toHaveLength(0);
    // the engine checked the data the editor holds
    expect(client.callsOf('eventTypes.validate').at(-1)).toEqual({
      type: 'invoice.paid',
      data: { object: { id: 'inv_1', amount_paid: 'lots', currency: 'EUR' } },
    });
    // a workbench sends a bad payload on purpose: with validate:false, as the API takes it
    fireEvent.click(screen.getByRole('button', { name: 'Send anyway' }));
    await waitFor(() => expect(client.callsOf('events.create')).toHaveLength(1));
    expect(client.callsOf('events.create')[0]).toMatchObject({ type: 'invoice.paid', validate: false });
  });

  it('sends valid data with events.create and links to its deliveries', async () => {
    const { client } = setup();
    await screen.findByText('inv_1042', { exact: false });
    await typeJson('{"object": {"id": "inv_9", "amount_paid": 100, "currency": "usd"}}');
    await waitFor(() => expect((sendButton() as HTMLButtonElement).disabled).toBe(false), CHECKED);
    fireEvent.click(sendButton());
    await waitFor(() => expect(client.callsOf('events.create')).toHaveLength(1));
    expect(client.callsOf('events.create')[0]).toEqual({
      type: 'invoice.paid',
      data: { object: { id: 'inv_9', amount_paid: 100, currency: 'usd' } },
    });
    const link = await screen.findByRole('link', { name: 'View deliveries' });
    expect(link.getAttribute('href')).toBe('#/deliveries?event=evt_77');
    expect(useToasts.getState().toasts[0]?.message).toContain('evt_77');
    // and it is in Recent
    expect(within(screen.getByRole('region', { name: 'Recent sends' })).getByText('invoice.paid')).toBeTruthy();
  });

  it('counts an auto-disabled endpoint as kept paused (not one disabled by hand) and says so once sent', async () => {
    const auto = {
      ...endpointA,
      enabled: false,
      disabledBy: 'auto' as const,
      disabledReason: '5 consecutive failed attempts',
    };
    const byHand = makeEndpoint({
      id: 'ep_h',
      description: 'Ledger',
      eventTypes: ['invoice.*'],
      enabled: false,
      disabledBy: 'manual',
    });
    const live = makeEndpoint({ id: 'ep_l', description: 'Mailer', eventTypes: ['*'] });
    const { client } = setup({
      'endpoints.list': () => ({ data: [auto, byHand, live], nextCursor: null }),
      'events.create': (input) =>
        makeEvent({
          id: 'evt_78',
          type: input.type,
          data: input.data,
          deliveries: [
            { id: 'dlv_1', endpointId: 'ep_a', status: 'paused', maxAttempts: 8 },
            { id: 'dlv_2', endpointId: 'ep_l', status: 'pending', maxAttempts: 8 },
          ],
        }),
      'events.preview': (input) => ({
        envelope: { id: 'evt_9', type: input.type, version: 'v1', created_at: FIXTURE_ISO, data: input.data },
        requests: [{ endpointId: 'ep_l', url: live.url, method: 'POST' as const, headers: signedHeaders, body: '{}' }],
      }),
    });
    await screen.findByText('inv_1042', { exact: false });
    expect(screen.getByRole('radio', { name: 'Every subscribed endpoint (2, 1 kept paused)' })).toBeTruthy();
    const row = (name: string) =>
      screen.getByRole('checkbox', { name: `Send to ${name}` }).closest('li') as HTMLElement;
    expect(within(row('Billing')).getByText('Kept paused').getAttribute('title')).toContain('enabled again');
    expect((within(row('Billing')).getByRole('checkbox') as HTMLInputElement).checked).toBe(true);
    expect(within(row('Ledger')).getByText('Disabled')).toBeTruthy();
    expect((within(row('Ledger')).getByRole('checkbox') as HTMLInputElement).checked).toBe(false);
    expect((within(row('Mailer')).getByRole('checkbox') as HTMLInputElement).checked).toBe(true);

    await waitFor(() => expect((sendButton() as HTMLButtonElement).disabled).toBe(false), CHECKED);
    // the preview signs the requests sent now; the kept-paused target is named, not previewed
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const panel = await screen.findByRole('region', { name: 'Preview' });
    expect(within(panel).getByText(/^Kept paused, not sent now: Billing \(auto-disabled/)).toBeTruthy();
    expect(within(panel).queryByRole('article', { name: 'Request to Billing' })).toBeNull();
    expect(within(panel).getByRole('article', { name: 'Request to Mailer' })).toBeTruthy();

    fireEvent.click(sendButton());
    await waitFor(() => expect(client.callsOf('events.create')).toHaveLength(1));
    const said = '2 endpoints (1 kept paused: auto-disabled, sent when enabled again)';
    await waitFor(() => expect(useToasts.getState().toasts[0]?.message).toContain(said));
    expect(screen.getByRole('status').textContent).toContain(said);
  });

  it('sends only to chosen endpoints, and with Ctrl+Enter', async () => {
    const uninstall = installShortcuts();
    try {
      const { client } = setup();
      await screen.findByText('inv_1042', { exact: false });
      fireEvent.click(screen.getByRole('radio', { name: 'Chosen endpoints' }));
      expect(await screen.findByText('Choose at least one endpoint', {}, CHECKED)).toBeTruthy();
      fireEvent.click(screen.getByRole('checkbox', { name: 'Send to Billing' }));
      await waitFor(() => expect((sendButton() as HTMLButtonElement).disabled).toBe(false), CHECKED);
      fireEvent.keyDown(document.querySelector('.cm-content') as HTMLElement, { key: 'Enter', ctrlKey: true });
      await waitFor(() => expect(client.callsOf('events.create')).toHaveLength(1));
      expect(client.callsOf('events.create')[0]?.endpointIds).toEqual(['ep_a']);
    } finally {
      uninstall();
    }
  });

  it('shows server errors with their issues inline', async () => {
    const { client } = setup();
    client.handle({
      'events.create': () => {
        throw new ApiError({
          code: 'unprocessable',
          message: 'data does not match invoice.paid',
          issues: [{ path: ['data', 'object', 'id'], message: 'taken' }],
        });
      },
    });
    await screen.findByText('inv_1042', { exact: false });
    await waitFor(() => expect((sendButton() as HTMLButtonElement).disabled).toBe(false), CHECKED);
    fireEvent.click(sendButton());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('data does not match invoice.paid');
    expect(alert.textContent).toContain('taken');
  });

  it('previews the signed request per target and copies it as curl', async () => {
    const { client } = setup();
    await screen.findByText('inv_1042', { exact: false });
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Preview' }) as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const panel = await screen.findByRole('region', { name: 'Preview' });
    expect(client.callsOf('events.preview')[0]?.type).toBe('invoice.paid');
    const request = within(panel).getByRole('article', { name: 'Request to Billing' });
    expect(within(request).getByText(endpointA.url)).toBeTruthy();
    const headers = within(request).getByLabelText('Request headers');
    expect(within(headers).getByText('webhook-signature')).toBeTruthy();
    expect(within(headers).getByText(signedHeaders['webhook-signature'])).toBeTruthy();
    fireEvent.click(within(request).getByRole('button', { name: 'Copy as curl: Billing' }));
    const previewed = await client.call('events.preview', { type: 'invoice.paid', data: invoicePaid.example });
    await waitFor(async () =>
      expect(await navigator.clipboard.readText()).toBe(buildCurl(previewed.requests[0] as never)),
    );
    expect(await navigator.clipboard.readText()).toContain("-H 'webhook-signature: v1,K5oZ");
  });

  it('copies the event as a hookbench trigger command for this serve, the token left to the environment', async () => {
    setup();
    await screen.findByText('inv_1042', { exact: false });
    const copy = await screen.findByRole('button', { name: 'Copy as CLI: the hookbench trigger command' });
    fireEvent.click(copy);
    await waitFor(async () =>
      expect(await navigator.clipboard.readText()).toBe(
        triggerCommand(
          { type: 'invoice.paid', data: invoicePaid.example },
          { server: window.location.origin, validate: true },
        ),
      ),
    );
    expect(await navigator.clipboard.readText()).toMatch(
      /^hookbench trigger 'invoice\.paid' --data '\{.*inv_1042.*\}' --server '[^']+' --token "\$HOOKBENCH_TOKEN"$/,
    );
  });

  it('sends a test to one endpoint and shows the attempt inline', async () => {
    const { client } = setup();
    await screen.findByText('inv_1042', { exact: false });
    fireEvent.change(screen.getByRole('combobox', { name: 'Test to' }), { target: { value: 'ep_b' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send test' }));
    const result = await screen.findByRole('region', { name: 'Test result' });
    expect(client.callsOf('webhooks.test')[0]).toEqual({
      endpointId: 'ep_b',
      type: 'invoice.paid',
      data: invoicePaid.example,
    });
    expect(within(result).getAllByText('418').length).toBeGreaterThan(0);
    expect(within(result).getAllByText('42 ms').length).toBeGreaterThan(0);
    const body = within(result).getByRole('region', { name: 'Response body' });
    expect(body.textContent).toContain('"short": "stout"');
    expect(within(result).getByLabelText('Response headers').textContent).toContain('x-teapot');
  });

  it('loads a provider fixture without the catalog schema', async () => {
    setup();
    await screen.findByText('inv_1042', { exact: false });
    fireEvent.change(screen.getByRole('combobox', { name: 'Event type' }), {
      target: { value: 'fixture:stripe:payment_intent.succeeded' },
    });
    await waitFor(() => expect(document.querySelector('.cm-content')?.textContent).toContain('pi_1'));
    expect(problems()).toBeNull();
  });

  it('composes a type fired that the catalog lacks, from an empty object, unchecked, and catalogues it', async () => {
    const { client } = setup({
      'events.types': () => ({ data: ['invoice.paid', 'test.ping'], truncated: false }),
      'eventTypes.create': (input) => ({
        name: input.name,
        description: input.description ?? '',
        schema: input.schema ?? null,
        example: input.example ?? {},
        builtIn: false,
        createdAt: FIXTURE_ISO,
      }),
    });
    await screen.findByText('inv_1042', { exact: false });
    const picker = screen.getByRole('combobox', { name: 'Event type' });
    // catalogued types stay in their own group only
    expect(await groupOptions(picker, 'Fired, not in the catalog')).toEqual(['test.ping']);
    fireEvent.change(picker, { target: { value: 'type:test.ping' } });
    await waitFor(() => expect(document.querySelector('.cm-content')?.textContent).toBe('{}'));
    expect(screen.getByText('Not in the catalog: no description, example or schema')).toBeTruthy();
    await typeJson('{"n": 1}');
    await waitFor(() => expect((sendButton() as HTMLButtonElement).disabled).toBe(false), CHECKED);
    fireEvent.click(sendButton());
    await waitFor(() => expect(client.callsOf('events.create')).toHaveLength(1));
    expect(client.callsOf('events.create')[0]).toEqual({ type: 'test.ping', data: { n: 1 } });
    expect(client.callsOf('eventTypes.validate').some((i) => i.type === 'test.ping')).toBe(false);

    // and it can be catalogued from here: its name and the data being composed prefilled
    fireEvent.click(screen.getByRole('button', { name: 'Add to catalog' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add event type' });
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('test.ping');
    expect(JSON.parse((within(dialog).getByLabelText('Example data') as HTMLTextAreaElement).value)).toEqual({ n: 1 });
    fireEvent.change(within(dialog).getByLabelText('Description'), { target: { value: 'A liveness ping' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add event type' }));
    await waitFor(() => expect(client.callsOf('eventTypes.create')).toHaveLength(1));
    expect(client.callsOf('eventTypes.create')[0]).toEqual({
      name: 'test.ping',
      description: 'A liveness ping',
      schema: null,
      example: { n: 1 },
    });
  });

  it('keeps the draft across a reload', async () => {
    const first = setup();
    await screen.findByText('inv_1042', { exact: false });
    await typeJson('{"object": {"id": "draft_kept", "amount_paid": 1, "currency": "eur"}}');
    first.unmount();
    const raw = localStorage.getItem('hookbench.compose') ?? '{}';
    expect(JSON.parse(raw).state.drafts['type:invoice.paid']).toContain('draft_kept');
    // a fresh page: empty memory, the store rehydrates from localStorage
    useComposeStore.setState(initial, true);
    localStorage.setItem('hookbench.compose', raw);
    await act(async () => {
      await useComposeStore.persist.rehydrate();
    });
    setup();
    await waitFor(() => expect(document.querySelector('.cm-content')?.textContent).toContain('draft_kept'));
  });
});
