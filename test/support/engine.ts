// Starting a real engine on a temp SQLite file, stopped after each test.
import { afterEach, inject } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../src/main/engine';
import { invalidInput, type RouteCallInput, type RouteName, type RouteOutput, routes } from '../../src/shared';
import { tempDbPath } from './temp';

const running: Engine[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

/**
 * The HTTP worker bundled by the vitest globalSetup (test/support/http-worker-setup.ts), so engines under test send
 * from a worker thread as the built app does. Not with an injected clock: the worker times requests on the real
 * clock, and a test that injects one means to drive time itself.
 */
function productionHttp(opts: Partial<EngineOptions>): Partial<EngineOptions> {
  if (opts.clock || opts.httpWorker === false) return {};
  const httpWorkerFile = inject('httpWorkerFile');
  return httpWorkerFile ? { httpWorkerFile } : {};
}

/**
 * A real engine (no inbox unless asked) on a fresh temp database unless dbPath is given, sending from the HTTP worker
 * thread unless it has an injected clock or `httpWorker: false`; stopped after the test.
 */
export async function startEngine(opts: Partial<EngineOptions> = {}): Promise<Engine & { dbPath: string }> {
  const dbPath = opts.dbPath ?? tempDbPath();
  const engine = await createEngine({ inbox: false, ...productionHttp(opts), ...opts, dbPath });
  running.push(engine);
  return Object.assign(engine, { dbPath });
}

/**
 * Calls a route the way the transports do: the raw input parsed by the contract (defaults filled, bad input
 * rejected as invalid_input), the handler awaited, so sync throws become rejections.
 */
export async function call<N extends RouteName>(
  engine: Pick<Engine, 'handlers'>,
  name: N,
  input: RouteCallInput<N>,
): Promise<RouteOutput<N>> {
  const parsed = routes[name].input.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const handler = engine.handlers[name] as (i: unknown) => RouteOutput<N> | Promise<RouteOutput<N>>;
  return await handler(parsed.data);
}
