#!/usr/bin/env bash
# Builds the Go tools the release and its tests use, from their pinned modules under
# scripts/tools/<name> through the Go module proxy, once: cached by the module's go.sum.
#   bash scripts/tools.sh quill krew     # prints nothing; the binaries are then at
#   $STS_LAB_CACHE/tools/<name>-<hash>/<name> (bash scripts/tools.sh --path NAME prints it)
set -euo pipefail
cd "$(dirname "$0")/tools"
CACHE="${STS_LAB_CACHE:-${HOME:-/root}/.cache/sts-lab}/tools"
export PATH="$PATH:/usr/local/go/bin" GOSUMDB=off GOTOOLCHAIN=local GOFLAGS=-mod=readonly
tool_path() { echo "$CACHE/$1-$(cat "$1/go.mod" "$1/go.sum" | sha256sum | cut -c1-12)/$1"; }
if [ "${1:-}" = --path ]; then tool_path "$2"; exit 0; fi
for name in "$@"; do
  out=$(tool_path "$name")
  [ -x "$out" ] && continue
  mkdir -p "$(dirname "$out")"
  t0=$(date +%s)
  # go's "downloading …" lines go to a log, shown only when the build fails.
  (cd "$name" && go build -trimpath -o "$out.tmp" "$(sed -n 's/^tool //p' go.mod)") >"$out.log" 2>&1 || { cat "$out.log" >&2; exit 1; }
  mv "$out.tmp" "$out"
  echo "built $name in $(( $(date +%s) - t0 ))s: $out" >&2
done
