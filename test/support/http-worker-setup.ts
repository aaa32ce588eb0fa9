// Vitest globalSetup (node project): engine tests run the production path, HTTP from the worker thread. Run from
// TypeScript sources the engine finds no built worker beside its module and sends from its own thread, so this
// bundles the worker once per source state (the same cached build the CLI tests use) and provides its path;
// startEngine (test/support/engine.ts) passes it to createEngine as `httpWorkerFile`.
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundle, HTTP_WORKER_ENTRY } from './bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    /** absolute path of the bundled HTTP worker (an ES module) */
    httpWorkerFile: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const dir = await bundle({ 'http-worker': HTTP_WORKER_ENTRY });
  project.provide('httpWorkerFile', join(dir, 'http-worker.mjs'));
}
