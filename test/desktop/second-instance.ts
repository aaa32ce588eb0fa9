// A second launch of the built app in its own Node process, on the same user data, with the same stand-in: what
// Electron does when the user starts Hookbench while it is already running.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPORT_ENV, USER_DATA_ENV } from './electron-standin/index.ts';

export interface SecondInstance {
  code: number | null;
  output: string;
  /** the stand-in's record of that process (windows and ipcHandlers as counts/names) */
  record: Record<string, unknown>;
}

export async function launchSecondInstance(root: string, userData: string): Promise<SecondInstance> {
  const report = join(userData, 'second-instance.json');
  const register = pathToFileURL(join(root, 'test/desktop/electron-standin/register.mjs')).href;
  const main = pathToFileURL(join(root, 'out/main/index.js')).href;
  // the stand-in is TypeScript: Node 22.18+ strips its types by default, Node 22.12 needs the flag
  const args = [
    '--experimental-strip-types',
    '--import',
    register,
    '--input-type=module',
    '-e',
    `await import(${JSON.stringify(main)});`,
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, [USER_DATA_ENV]: userData, [REPORT_ENV]: report },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  const record = code === 0 ? (JSON.parse(readFileSync(report, 'utf8')) as Record<string, unknown>) : {};
  return { code, output, record };
}
