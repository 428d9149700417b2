#!/usr/bin/env bash
# gen-module.sh VERSION DIR: writes the wrapper module that builds k8s.io/kubernetes VERSION
# (its go line, godebug line and staging replaces read from that version's own go.mod).
set -euo pipefail
V=$1; OUT=$2
export GOSUMDB=off GOTOOLCHAIN=local GOFLAGS=-mod=mod
minor=${V#v1.}; minor=${minor%%.*}; patch=${V##*.}
stag="v0.$minor.$patch"
tmp=$(mktemp -d)
cd "$tmp"
printf 'module probe\ngo 1.26.0\n' > go.mod
go mod download -json "k8s.io/kubernetes@$V" > info.json
gomod=$(python3 -c 'import json,sys;print(json.load(open("info.json"))["GoMod"])')
goline=$(awk '/^go [0-9]/{print $2; exit}' "$gomod")
godebug=$(awk '/^godebug /{print; exit}' "$gomod")
staging=$(awk '/^require \(/{r=1;next} r&&/^\)/{r=0} r&&$1 ~ /^k8s.io\// && $2=="v0.0.0"{print $1}' "$gomod" | sort -u)
mkdir -p "$OUT"
{
  echo "module sts-lab/cluster"
  echo
  echo "// Wrapper module: builds the Kubernetes $V server binaries, kube-proxy and kubectl"
  echo "// from the published k8s.io/kubernetes module (no upstream source is committed)."
  echo "// k8s.io/kubernetes replaces its staging modules with ./staging/...; those paths"
  echo "// do not exist in the module zip, so each v0.0.0 staging requirement is replaced"
  echo "// with its published $stag release. Written by ../gen-module.sh."
  echo
  echo "go $goline"
  echo
  [ -n "$godebug" ] && { echo "$godebug"; echo; }
  echo "require k8s.io/kubernetes $V"
  echo
  echo "tool ("
  for c in kube-apiserver kube-controller-manager kube-proxy kube-scheduler kubectl kubelet; do echo "	k8s.io/kubernetes/cmd/$c"; done
  echo ")"
  echo
  echo "replace ("
  for m in $staging; do echo "	$m => $m $stag"; done
  echo ")"
} > "$OUT/go.mod"
cd "$OUT" && go mod tidy
rm -rf "$tmp"
