// Runs after `npm ci`/`npm install`: builds out/ so that `node bin/hookbench.js` works in a fresh clone.
// Skipped when dev dependencies are absent (a production install already ships out/).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/electron-vite')) {
  console.log('prepare: electron-vite not installed; skipping the build');
  process.exit(0);
}
const res = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], {
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
