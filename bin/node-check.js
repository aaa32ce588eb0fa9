// The Node.js the CLI needs (package.json "engines"): checked before anything loads, so an older Node says so in one
// line instead of failing later inside a native module (better-sqlite3's "compiled against a different Node.js
// version") or a dependency's syntax.

/** The oldest Node.js Hookbench runs on, as [major, minor]. */
export const MIN_NODE = [22, 12];

/** Why `version` (process.versions.node, e.g. "20.20.2") cannot run Hookbench, or null when it can. */
export function nodeProblem(version) {
  const [major, minor] = version.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return null;
  return (
    `Node.js ${MIN_NODE.join('.')} or newer is needed; this is ${version}. ` +
    'Install Node 22 or 24 LTS (in this repository on Linux x64: `. scripts/use-node24.sh`), then `npm ci` again.'
  );
}
