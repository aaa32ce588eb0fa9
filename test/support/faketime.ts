// A process whose wall clock the test can step, with Debian's libfaketime (`apt-get install -y faketime`; .ci/run
// installs it). The library is preloaded into the child (LD_PRELOAD) and reads its offset from a file the test
// rewrites ("+0", then "+600" or "-600"): only the wall clock (CLOCK_REALTIME, Date.now()) moves; the monotonic
// clock stays real (FAKETIME_DONT_FAKE_MONOTONIC), which is what a suspended laptop or an NTP step looks like to a
// process, and also what keeps libuv's timers and Node's event loop working under the library.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp';

const KNOWN_PATHS = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
  '/usr/local/lib/faketime/libfaketime.so.1',
];

/** Path of libfaketime.so.1 (Debian's libfaketime package), or null when it is not installed. */
export function libfaketimePath(): string | null {
  for (const p of KNOWN_PATHS) if (existsSync(p)) return p;
  const listed = spawnSync('dpkg', ['-L', 'libfaketime'], { encoding: 'utf8' });
  const found = listed.stdout?.split('\n').find((l) => l.endsWith('/libfaketime.so.1'));
  return found && existsSync(found) ? found : null;
}

export interface FakeWallClock {
  /** environment for the child: the preload and where it reads its offset */
  env: Record<string, string>;
  /** sets the child's wall clock to real time plus `seconds` (negative: behind); picked up within ~1 s */
  set(seconds: number): void;
}

/** A wall-clock offset file, starting at +0, and the environment that makes a child follow it. */
export function fakeWallClock(): FakeWallClock {
  const lib = libfaketimePath();
  if (!lib) throw new Error('libfaketime.so.1 not found: apt-get install -y faketime');
  const file = join(tempDir('hookbench-faketime-'), 'faketimerc');
  const set = (seconds: number) => writeFileSync(file, `${seconds >= 0 ? '+' : ''}${seconds}\n`);
  set(0);
  return {
    env: {
      LD_PRELOAD: lib,
      FAKETIME_TIMESTAMP_FILE: file,
      // the library re-reads the file at most once per this many seconds (the default is 10; 0 = on every call,
      // which costs a file read per Date.now())
      FAKETIME_CACHE_DURATION: '1',
      // the monotonic clock stays real (the name changed between libfaketime versions: both are set)
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
      DONT_FAKE_MONOTONIC: '1',
    },
    set,
  };
}
