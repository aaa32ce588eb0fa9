// Compose's Import button: paste an OpenAPI/AsyncAPI document, Preview (a dry run), then Import; the catalog is
// refetched and the new type is offered. A document the engine refuses shows its reason and imports nothing.
import { useToasts } from '@renderer/components';
import { ComposePage } from '@renderer/features/compose/ComposePage';
import { useComposeStore } from '@renderer/features/compose/compose-store';
import { ApiError } from '@renderer/lib/client';
import type { EventType } from '@shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeClient, renderWithClient } from '../support';
import { endpointA, invoicePaid, stripeProfile } from './fixtures';

const initial = useComposeStore.getState();

const parcel: EventType = {
  name: 'parcel.delivered',
  description: 'A parcel was delivered',
  schema: { type: 'object', properties: { id: { type: 'string' } } },
  example: { id: 'string' },
  builtIn: false,
  createdAt: '2026-11-26T12:00:00.000Z',
};

function setup() {
  const catalog: EventType[] = [invoicePaid];
  const client = createFakeClient({
    'eventTypes.list': () => ({ data: [...catalog], nextCursor: null }),
    'profiles.list': () => ({ data: [stripeProfile], nextCursor: null }),
    'endpoints.list': () => ({ data: [endpointA], nextCursor: null }),
    'eventTypes.import': ({ source, dryRun }) => {
      if (!source.includes('openapi: 3.1')) {
        throw new ApiError({
          code: 'invalid_input',
          message: 'OpenAPI 3.0.3 has no webhooks section; import an OpenAPI 3.1 document',
          issues: [{ path: ['source'], message: 'OpenAPI 3.0.3 has no webhooks section' }],
        });
      }
      if (!dryRun) catalog.push(parcel);
      return {
        format: 'openapi' as const,
        title: 'Parcels',
        dryRun,
        created: [{ name: parcel.name, description: parcel.description }],
        updated: [],
        skipped: [{ name: 'ping', reason: 'no application/json request body schema' }],
      };
    },
  });
  return renderWithClient(<ComposePage />, { client });
}

const openImport = async () => {
  fireEvent.click(await screen.findByRole('button', { name: 'Import' }));
  return screen.getByRole('dialog', { name: 'Import event types' });
};

beforeEach(() => {
  localStorage.clear();
  useComposeStore.setState(initial, true);
  useToasts.setState({ toasts: [] });
});

describe('Import event types', () => {
  it('previews with a dry run, imports on confirmation, and offers the new type', async () => {
    const { client } = setup();
    const dialog = await openImport();
    fireEvent.change(within(dialog).getByLabelText(/OpenAPI 3.1 or AsyncAPI 3 document/), {
      target: { value: 'openapi: 3.1.0\nwebhooks: {}' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    const plan = await within(dialog).findByRole('region', { name: 'Import preview' });
    expect(plan.textContent).toContain('OpenAPI "Parcels": 1 to create, 0 to update, 1 skipped');
    expect(within(plan).getByText('parcel.delivered')).toBeTruthy();
    expect(within(plan).getByText('no application/json request body schema')).toBeTruthy();
    expect(client.callsOf('eventTypes.import')).toEqual([{ source: 'openapi: 3.1.0\nwebhooks: {}', dryRun: true }]);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Import 1 event type' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Import event types' })).toBeNull());
    expect(client.callsOf('eventTypes.import').at(-1)).toEqual({
      source: 'openapi: 3.1.0\nwebhooks: {}',
      dryRun: false,
    });
    expect(useToasts.getState().toasts.map((t) => t.message)).toContain('Imported 1 event type');
    // the catalog was refetched: the imported type is in the picker
    await waitFor(() => expect(screen.getByRole('option', { name: 'parcel.delivered' })).toBeTruthy());
  });

  it('shows why a document was refused and imports nothing', async () => {
    const { client } = setup();
    const dialog = await openImport();
    fireEvent.change(within(dialog).getByLabelText(/OpenAPI 3.1 or AsyncAPI 3 document/), {
      target: { value: 'openapi: 3.0.3' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('OpenAPI 3.0.3 has no webhooks section; import an OpenAPI 3.1 document');
    expect(client.callsOf('eventTypes.import').every((i) => i.dryRun === true)).toBe(true);
    expect(screen.queryByRole('option', { name: 'parcel.delivered' })).toBeNull();
  });
});
