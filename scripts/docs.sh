#!/usr/bin/env bash
# npm run docs: the README's picture, made by the project itself. Runs the tour on the local
# cluster with an HTML report and renders its top in headless Chromium (docs/lab-report.png).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=install.sh
source scripts/install.sh
command -v chromium >/dev/null || { echo "error: chromium not found (apt-get install chromium)" >&2; exit 1; }
node scripts/build.ts && node scripts/sea.ts >&2
bash test/cluster/up.sh >&2
eval "$(bash test/cluster/paths.sh)"
export KUBECONFIG=$STS_LAB_KUBECONFIG PATH="$STS_LAB_KUBECTL_DIR:$PWD/dist/bin:$PATH"
report=$(mktemp -d)/lab-report.html
mkdir -p docs
kubectl sts-lab -n sts-lab-docs --progress none tour --image "$STS_LAB_IMAGE" --report "$report"
node scripts/docs-picture.ts "$report" docs/lab-report.png
