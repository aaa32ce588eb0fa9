#!/usr/bin/env node
// The CLI entry. The TypeScript sources are built into out/main/cli.js (by `npm ci`'s prepare step or `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeProblem } from './node-check.js';

const tooOld = nodeProblem(process.versions.node);
if (tooOld) {
  console.error(`hookbench: ${tooOld}`);
  process.exit(2);
}

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('hookbench: out/main/cli.js is missing; run `npm run build` first');
  process.exit(2);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
