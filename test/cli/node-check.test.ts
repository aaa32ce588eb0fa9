// The CLI's first check (bin/node-check.js): a Node.js older than package.json's "engines" is told so in one line
// (exit 2) before anything loads, instead of failing inside better-sqlite3 with another ABI's module; the bound is
// the one package.json declares.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript beside the CLI entry, no declarations
import { MIN_NODE, nodeProblem } from '../../bin/node-check.js';
import { ROOT } from '../support/bundle';

describe('the CLI entry checks the Node.js it runs on', () => {
  it('refuses versions older than 22.12 with what to do, and accepts 22.12 and newer', () => {
    for (const old of ['20.20.2', '18.19.0', '22.11.9', '21.7.3']) {
      expect(nodeProblem(old), old).toMatch(/^Node\.js 22\.12 or newer is needed; this is \S+\. Install Node 22 or 24/);
      expect(nodeProblem(old)).toContain(old);
    }
    for (const ok of ['22.12.0', '22.20.1', '23.0.0', '24.22.3', '100.0.0']) expect(nodeProblem(ok), ok).toBeNull();
  });

  it('holds the bound package.json declares in "engines"', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.engines.node).toBe(`>=${MIN_NODE.join('.')}`);
  });

  it('lets this Node.js run the CLI', () => {
    const res = spawnSync(process.execPath, [join(ROOT, 'bin/hookbench.js'), '--version'], { encoding: 'utf8' });
    expect(res.stderr).not.toContain('is needed');
    expect(res.status).toBe(0);
  });
});
