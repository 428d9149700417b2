#!/usr/bin/env bash
# npm run docs: the README's pictures, made by the project itself. Records a tour on the local
# cluster as a person sees it (asciinema, 100x30) and renders it as an animated SVG (docs/demo.svg);
# runs the tour with an HTML report and renders its top in headless Chromium (docs/lab-report.png).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=install.sh
source scripts/install.sh
bash scripts/host-packages.sh docs
node scripts/build.ts && node scripts/sea.ts >&2
bash test/cluster/up.sh >&2
eval "$(bash test/cluster/paths.sh)"
export KUBECONFIG=$STS_LAB_KUBECONFIG PATH="$STS_LAB_KUBECTL_DIR:$PWD/dist/bin:$PATH"
work=$(mktemp -d)
report=$work/lab-report.html
mkdir -p docs
# A live terminal outside CI: the task lists as a learner sees them.
tour="kubectl sts-lab -n sts-lab-demo tour --image $STS_LAB_IMAGE"
(
  unset CI
  export TERM=xterm-256color
  asciinema rec -q --overwrite --idle-time-limit 1.5 --cols 100 --rows 30 \
    -c "printf '\$ %s\\n' '$tour'; $tour; echo \$? > $work/exit" "$work/recorded.cast"
)
node scripts/docs-demo.ts "$work/recorded.cast" "$(cat "$work/exit")" docs/demo.cast docs/demo.svg
kubectl sts-lab -n sts-lab-docs --progress none tour --image "$STS_LAB_IMAGE" --report "$report"
node scripts/docs-picture.ts "$report" docs/lab-report.png
