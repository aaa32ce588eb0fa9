// `node --import ./test/desktop/electron-standin/register.mjs`: makes `electron` resolve to the stand-in for the
// built main bundle (see hooks.mjs). The desktop suite imports it before it loads out/main/index.js.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
