#!/usr/bin/env bash
# npm run lab: build the plugin, bring up the local cluster, and run the whole lab on it
# (kubectl sts-lab tour) through real kubectl. Extra arguments replace the default
# (`npm run lab -- status`, `npm run lab -- tour --keep --report lab.md`).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=install.sh
source scripts/install.sh
node scripts/build.ts && node scripts/sea.ts >&2
bash test/cluster/up.sh >&2
eval "$(bash test/cluster/paths.sh)"
export KUBECONFIG=$STS_LAB_KUBECONFIG PATH="$STS_LAB_KUBECTL_DIR:$PWD/dist/bin:$PATH"
echo "KUBECONFIG=$KUBECONFIG; the plugin is dist/bin/kubectl-sts_lab" >&2
if [ $# -gt 0 ]; then exec kubectl sts-lab "$@"; fi
exec kubectl sts-lab tour --image "$STS_LAB_IMAGE" --report lab-report.md
