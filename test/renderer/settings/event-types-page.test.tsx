// Settings › Event types: the types fired that the catalog lacks are listed apart, and each is added with the data
// of its latest event as the example.
import { App } from '@renderer/App';
import { ApiError } from '@renderer/lib/client';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeClient, goTo, makeEvent, makeEventType, makeStatus, page, renderWithClient } from '../support';

function engine() {
  const catalog = [makeEventType('invoice.paid', { builtIn: true, description: 'An invoice was paid' })];
  return createFakeClient({
    'system.status': () => makeStatus(),
    'eventTypes.list': () => page(catalog),
    'events.types': () => ({ data: ['invoice.paid', 'test.ping'], truncated: false }),
    'events.list': ({ type }) => page(type === 'test.ping' ? [makeEvent({ type, data: { n: 7, ok: true } })] : []),
    'eventTypes.create': (input) => {
      const created = makeEventType(input.name, {
        description: input.description ?? '',
        example: input.example ?? {},
      });
      catalog.push(created);
      return created;
    },
  });
}

describe('Settings › Event types', () => {
  it('lists the types fired that the catalog lacks and adds one with its latest event as the example', async () => {
    const client = engine();
    renderWithClient(<App />, { client });
    await goTo('/settings/event-types');
    const fired = await screen.findByRole('region', { name: 'Fired, not in the catalog' });
    expect(
      within(fired)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['test.pingAdd']);

    fireEvent.click(within(fired).getByRole('button', { name: 'Add test.ping to the catalog' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add event type' });
    expect(client.callsOf('events.list')).toContainEqual({ type: 'test.ping', limit: 1 });
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('test.ping');
    expect(JSON.parse((within(dialog).getByLabelText('Example data') as HTMLTextAreaElement).value)).toEqual({
      n: 7,
      ok: true,
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add event type' }));
    await waitFor(() => expect(client.callsOf('eventTypes.create')).toHaveLength(1));
    expect(client.callsOf('eventTypes.create')[0]).toMatchObject({ name: 'test.ping', example: { n: 7, ok: true } });
    // now catalogued: it opens in the editor and leaves the list of the uncatalogued
    await waitFor(() => expect(window.location.hash).toBe('#/settings/event-types?type=test.ping'));
    expect(await screen.findByRole('form', { name: 'Event type test.ping' })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Fired, not in the catalog' })).toBeNull());
  });

  it('drops a refused save’s error once the form is edited or reverted', async () => {
    const client = engine();
    client.handle({
      'eventTypes.update': () => {
        throw new ApiError({ code: 'invalid_input', message: 'The JSON Schema does not compile: nope' });
      },
    });
    renderWithClient(<App />, { client });
    await goTo('/settings/event-types?type=invoice.paid');
    const form = await screen.findByRole('form', { name: 'Event type invoice.paid' });
    const schema = within(form).getByLabelText('JSON Schema for data');
    const said = () => form.textContent?.includes('The JSON Schema does not compile') ?? false;
    for (const leave of ['edit', 'revert'] as const) {
      fireEvent.change(schema, { target: { value: '{"type":"nope"}' } });
      fireEvent.click(within(form).getByRole('button', { name: 'Save event type' }));
      await waitFor(() => expect(said()).toBe(true));
      if (leave === 'edit') fireEvent.change(schema, { target: { value: '{"type":"object"}' } });
      else fireEvent.click(within(form).getByRole('button', { name: 'Revert' }));
      await waitFor(() => expect(said(), leave).toBe(false));
    }
  });
});
