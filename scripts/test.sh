#!/usr/bin/env bash
# npm test, from a clean checkout: npm packages (the pinned Node among them), type check, the bundle
# and the single executable, the local cluster, then unit and end-to-end tests in one run.
# The fast checks (format, lint, unit and in-process tests) come before the cluster build.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=install.sh
source scripts/install.sh
bash scripts/host-packages.sh test
echo "== type check"; tsc -p .
echo "== format"; prettier --check .
echo "== lint"; eslint .
echo "== unit and in-process tests"
node --test 'test/unit/**/*.test.ts' 'test/inprocess/**/*.test.ts'
echo "== build"; node scripts/build.ts && node scripts/sea.ts
echo "== release archives"; node scripts/release.ts
echo "== cluster"; bash test/cluster/up.sh
echo "== tests"
node --test --test-concurrency="${STS_LAB_TEST_CONCURRENCY:-4}" --test-timeout=900000 \
  'test/release/**/*.test.ts' 'test/e2e/**/*.test.ts'
echo "== tests that stop a node, one at a time"
node --test --test-concurrency=1 --test-timeout=900000 'test/serial/**/*.test.ts'
