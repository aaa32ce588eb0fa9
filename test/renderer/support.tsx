// Test double of the transport for renderer tests: an in-memory `Client` whose routes are plain functions.
// Inputs are parsed with the route's contract schema and outputs checked against it, as the real
// transports do, so a component that sends a bad input or a fixture that drifts from the contract fails.
import { ApiError, type Client } from '@renderer/lib/client';
import { ClientProvider } from '@renderer/lib/query';
import {
  type Delivery,
  type EngineStatus,
  type Event,
  type EventType,
  issuesFromZod,
  type RouteCallInput,
  type RouteInput,
  type RouteName,
  type RouteOutput,
  routes,
  type TopicName,
  type TopicPayload,
} from '@shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, type RenderResult, render, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import { FIXTURE_TIME, makeEndpoint } from '../support/fixtures';

export type FakeHandlers = {
  [N in RouteName]?: (input: RouteInput<N>) => RouteOutput<N> | Promise<RouteOutput<N>>;
};

export interface FakeClient extends Client {
  /** every call, in order, with the input as the component passed it */
  readonly calls: Array<{ name: RouteName; input: unknown }>;
  /** inputs of every call to one route */
  callsOf<N extends RouteName>(name: N): Array<RouteCallInput<N>>;
  /** replace or add route handlers */
  handle(handlers: FakeHandlers): void;
  /** deliver a push topic to subscribers, as the engine would */
  emit<T extends TopicName>(topic: T, payload: TopicPayload<T>): void;
}

export function createFakeClient(initial: FakeHandlers = {}): FakeClient {
  const handlers: FakeHandlers = { ...initial };
  const calls: Array<{ name: RouteName; input: unknown }> = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  return {
    kind: 'http',
    calls,
    callsOf: <N extends RouteName>(name: N) =>
      calls.filter((c) => c.name === name).map((c) => c.input as RouteCallInput<N>),
    handle: (more) => Object.assign(handlers, more),
    async call<N extends RouteName>(name: N, input: RouteCallInput<N>): Promise<RouteOutput<N>> {
      calls.push({ name, input });
      const def = routes[name];
      const parsed = def.input.safeParse(input ?? {});
      if (!parsed.success) {
        throw new ApiError({ code: 'invalid_input', message: `Invalid input`, issues: issuesFromZod(parsed.error) });
      }
      const fn = handlers[name] as ((i: unknown) => unknown) | undefined;
      if (!fn) throw new ApiError({ code: 'internal', message: `fake client: no handler for ${name}` });
      const out = await fn(parsed.data);
      const checked = def.output.safeParse(out);
      if (!checked.success) {
        throw new Error(`fake client: ${name} returned output outside the contract: ${checked.error.message}`);
      }
      return checked.data as RouteOutput<N>;
    },
    on<T extends TopicName>(topic: T, fn: (payload: TopicPayload<T>) => void) {
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
      }
      set.add(fn as (p: unknown) => void);
      return () => set.delete(fn as (p: unknown) => void);
    },
    emit(topic, payload) {
      for (const fn of listeners.get(topic) ?? []) fn(payload);
    },
  };
}

export function createTestQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 0 }, mutations: { retry: false } } });
}

/** Renders `ui` inside the providers the app uses, with the fake transport. */
export function renderWithClient(
  ui: ReactElement,
  {
    client = createFakeClient(),
    queryClient = createTestQueryClient(),
  }: { client?: FakeClient; queryClient?: QueryClient } = {},
): RenderResult & { client: FakeClient; queryClient: QueryClient } {
  const result = render(
    <ClientProvider client={client}>
      <QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>
    </ClientProvider>,
  );
  return Object.assign(result, { client, queryClient });
}

/** Sets the hash route and lets hashchange listeners run. */
export async function goTo(path: string): Promise<void> {
  await act(async () => {
    window.location.hash = `#${path}`;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
}

const T0 = FIXTURE_TIME;

export { makeEndpoint };

export function makeStatus(over: Partial<EngineStatus> = {}): EngineStatus {
  return {
    running: true,
    version: '0.1.0',
    startedAt: T0,
    inboxBaseUrl: null,
    ...over,
    queue: { pending: 0, sending: 0, paused: 0, failed: 0, ...over.queue },
    endpoints: { total: 0, disabled: 0, failing: 0, ...over.endpoints },
  };
}

export function makeEvent(over: Partial<Event> = {}): Event {
  return { id: 'evt_1', type: 'invoice.paid', version: 'v1', createdAt: T0, data: {}, ...over };
}

/** A catalog entry without schema. */
export function makeEventType(name: string, over: Partial<EventType> = {}): EventType {
  return { name, description: '', schema: null, example: {}, builtIn: false, createdAt: T0, ...over };
}

export function makeDelivery(over: Partial<Delivery> = {}): Delivery {
  return {
    id: 'dlv_1',
    eventId: 'evt_1',
    endpointId: 'ep_1',
    eventType: 'invoice.paid',
    status: 'succeeded',
    pausedReason: null,
    attemptCount: 1,
    maxAttempts: 8,
    nextAttemptAt: null,
    lastStatus: 200,
    lastDurationMs: 12,
    lastError: null,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

/** The labels of the options in a select's `<optgroup label=…>`, once the group is there. */
export async function groupOptions(select: HTMLElement, label: string): Promise<Array<string | null>> {
  return waitFor(() => {
    const group = select.querySelector(`optgroup[label="${label}"]`);
    if (!group) throw new Error(`no option group ${label} yet`);
    return [...group.querySelectorAll('option')].map((o) => o.textContent);
  });
}

/** `{ data, nextCursor: null }` */
export const page = <T,>(data: T[]) => ({ data, nextCursor: null });
