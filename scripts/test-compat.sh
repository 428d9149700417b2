#!/usr/bin/env bash
# npm run test:compat -- VERSION: the whole end-to-end suite (the serial files after the
# concurrent ones, as npm test runs them) and `tour --part all` on the local
# cluster at another Kubernetes version (v1.34.4, v1.35.4, v1.36.3; v1.37.2 is npm test's),
# with that version's default feature gates. Not part of CI: a version not yet built costs a
# cold build (about 10 min here). The cluster is left on that version; `npm test` or
# `npm run cluster:up` brings the default back. Prints one line for the README's table.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: npm run test:compat -- VERSION   (one of: $(sed -n 's/^K8S_VERSIONS="\(.*\)"$/\1/p' test/cluster/lib/common.sh))" >&2; exit 2; }
export STS_LAB_K8S_VERSION=$1
shift
# shellcheck source=install.sh
source scripts/install.sh
tsc -p .
node scripts/build.ts && node scripts/sea.ts
bash test/cluster/up.sh >/dev/null
eval "$(bash test/cluster/paths.sh)"
log="compat-$STS_LAB_K8S_VERSION.log"
echo "== end-to-end suite on Kubernetes $STS_LAB_K8S_VERSION (output in $log)"
e2e=0
node --test --test-concurrency="${STS_LAB_TEST_CONCURRENCY:-4}" --test-timeout=900000 'test/e2e/**/*.test.ts' "$@" >"$log" 2>&1 || e2e=$?
node --test --test-concurrency=1 --test-timeout=900000 'test/serial/**/*.test.ts' >>"$log" 2>&1 || e2e=$?
grep -E '^ℹ (tests|pass|fail) ' "$log" || true
grep -E '^✖ ' "$log" || true
echo "== tour --part all on Kubernetes $STS_LAB_K8S_VERSION"
tour=0
KUBECONFIG=$STS_LAB_KUBECONFIG PATH="$STS_LAB_KUBECTL_DIR:$PWD/dist/bin:$PATH" \
  kubectl sts-lab -n "compat-tour-$$" --progress plain tour --part all --image "$STS_LAB_IMAGE" --report "compat-$STS_LAB_K8S_VERSION.md" \
  --storage-class shared-hostpath --fail-with "bash $PWD/test/cluster/node.sh {node} poweroff" \
  --recover-with "bash $PWD/test/cluster/node.sh {node} start" >>"$log" 2>&1 || tour=$?
tail -n 25 "compat-$STS_LAB_K8S_VERSION.md" 2>/dev/null | grep -E '^\| ' | awk -F'|' '{print $2 "|" $4}' || true
result=PASS; { [ "$e2e" = 0 ] && [ "$tour" = 0 ]; } || result=FAIL
pass=$(sed -n 's/^ℹ pass //p' "$log" | awk '{n+=$1} END {print n}'); total=$(sed -n 's/^ℹ tests //p' "$log" | awk '{n+=$1} END {print n}')
echo "| $STS_LAB_K8S_VERSION | $result: e2e ${pass:-?}/${total:-?}, tour --part all exit $tour | $(date -u +%F) |"
[ "$result" = PASS ]
