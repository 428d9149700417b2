#!/usr/bin/env bash
# npm test, from a clean checkout: npm packages (the pinned Node among them), type check, the bundle
# and the single executable, the local cluster, then unit and end-to-end tests in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=install.sh
source scripts/install.sh
# Release checks run the linux-arm64 binary under qemu user emulation; the release strips it.
need=""
[ -x /usr/bin/qemu-aarch64-static ] || need="$need qemu-user-static"
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || need="$need libc6-arm64-cross libstdc++6-arm64-cross"
[ -e /usr/aarch64-linux-gnu/lib/libatomic.so.1 ] || need="$need libatomic1-arm64-cross"
# The release strips the symbol tables of the Linux Node binaries.
command -v aarch64-linux-gnu-strip >/dev/null || need="$need binutils-aarch64-linux-gnu"
# The HTML report is tested in a real browser.
command -v chromium >/dev/null || need="$need chromium"
if [ -n "$need" ]; then
  echo "== apt-get install$need"
  # debconf's chatter goes to the log; the log is shown only if the install fails.
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need) >/tmp/sts-lab-apt.log 2>&1 \
    || { cat /tmp/sts-lab-apt.log >&2; exit 1; }
fi
echo "== type check"; tsc -p .
echo "== build"; node scripts/build.ts && node scripts/sea.ts
echo "== release archives"; node scripts/release.ts
echo "== cluster"; bash test/cluster/up.sh
echo "== tests"
node --test --test-concurrency="${STS_LAB_TEST_CONCURRENCY:-4}" --test-timeout=900000 \
  'test/unit/**/*.test.ts' 'test/release/**/*.test.ts' 'test/e2e/**/*.test.ts'
echo "== tests that stop a node, one at a time"
node --test --test-concurrency=1 --test-timeout=900000 'test/serial/**/*.test.ts'
