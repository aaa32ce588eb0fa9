// `--data`: JSON text, or @file holding it (send, trigger). A file that cannot be read or text that is not JSON is
// bad usage (exit 2), said as such.
import { readFileSync } from 'node:fs';
import { UsageError } from './flags';

export function readDataFlag(flag: string | undefined): unknown {
  if (flag === undefined) return undefined;
  let text = flag;
  if (flag.startsWith('@')) {
    try {
      text = readFileSync(flag.slice(1), 'utf8');
    } catch (err) {
      throw new UsageError(`--data: cannot read ${flag.slice(1)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('--data: not valid JSON (give JSON text or @file)');
  }
}
