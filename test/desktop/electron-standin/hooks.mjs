// A Node module-resolution hook (registered with `module.register` by the desktop suite only): `electron`, when
// imported by the built main bundle under out/main/, resolves to the stand-in next to this file. Nothing else is
// redirected, so the app's own code, the engine and better-sqlite3 load exactly as they were built.
const STANDIN = new URL('./index.ts', import.meta.url).href;
const OUT_MAIN = new URL('../../../out/main/', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' && context.parentURL?.startsWith(OUT_MAIN)) {
    return { url: STANDIN, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
