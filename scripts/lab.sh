#!/usr/bin/env bash
# npm run lab: build the plugin, bring up the local cluster, and run the lab on it
# through real kubectl. Extra arguments go to `kubectl sts-lab` (default: setup, then status).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/build.ts && bash scripts/sea.sh >&2
bash test/cluster/up.sh >&2
eval "$(bash test/cluster/paths.sh)"
export KUBECONFIG=$STS_LAB_KUBECONFIG PATH="$STS_LAB_KUBECTL_DIR:$PWD/dist/bin:$PATH"
echo "KUBECONFIG=$KUBECONFIG; the plugin is dist/bin/kubectl-sts_lab" >&2
if [ $# -gt 0 ]; then exec kubectl sts-lab "$@"; fi
kubectl sts-lab setup --image "$STS_LAB_IMAGE"
kubectl sts-lab status
