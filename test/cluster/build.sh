#!/usr/bin/env bash
# Build (or reuse from the cache) everything the local cluster runs:
#   Kubernetes server binaries + kubectl, CoreDNS and the
#   two local container images. Cached outside the repo in $STS_LAB_CACHE, keyed by
#   version (binaries) or by a content hash of the inputs (images), so a second run
#   builds nothing.
# usage: build.sh [all|k8s|coredns|images]...   (default: k8s coredns images)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

mkdir -p "$STS_LAB_CACHE"
# one build at a time per cache
exec 9>"$STS_LAB_CACHE/.build.lock"
flock -w 3600 9 || die "could not lock $STS_LAB_CACHE/.build.lock"

record_time() { # what seconds
  printf '%s %-28s %8ss  (go: %s, nproc %s)\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$2" "$(go env GOVERSION 2>/dev/null)" "$(nproc)" >> "$STS_LAB_CACHE/build-times.txt"
}

build_k8s() {
  local missing=""
  for c in $K8S_COMPONENTS; do [ -x "$K8S_BIN_DIR/$c" ] || missing="$missing $c"; done
  if [ -z "$missing" ]; then log "kubernetes $K8S_VERSION binaries cached in $K8S_BIN_DIR"; return 0; fi
  go_env
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  local bd; bd=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local ld="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$bd"
  done
  local tmp="$K8S_BIN_DIR.tmp"
  mkdir -p "$tmp" "$K8S_BIN_DIR"
  log "building kubernetes $K8S_VERSION:$missing (cold build takes several minutes on 2 cores)"
  local t0 t
  t0=$(now)
  (cd "$CLUSTER_SRC_DIR" && go mod download) || die "go mod download failed (is the Go module proxy reachable?)"
  record_time "k8s go mod download" "$(elapsed "$t0")"
  for c in $missing; do
    t=$(now)
    if ! (cd "$CLUSTER_SRC_DIR" && CGO_ENABLED=${CGO_ENABLED_K8S:-0} nice -n 10 go build -trimpath -ldflags "$ld" -o "$tmp/$c" "k8s.io/kubernetes/cmd/$c"); then
      log "retrying $c with -checklinkname=0"
      (cd "$CLUSTER_SRC_DIR" && CGO_ENABLED=${CGO_ENABLED_K8S:-0} nice -n 10 go build -trimpath -ldflags "$ld -checklinkname=0" -o "$tmp/$c" "k8s.io/kubernetes/cmd/$c") \
        || die "go build k8s.io/kubernetes/cmd/$c failed"
    fi
    mv -f "$tmp/$c" "$K8S_BIN_DIR/$c"
    record_time "k8s $c" "$(elapsed "$t")"
    log "built $c in $(elapsed "$t")s"
  done
  record_time "k8s total" "$(elapsed "$t0")"
  rmdir "$tmp" 2>/dev/null || true
  "$K8S_BIN_DIR/kube-apiserver" --version
}

build_coredns() {
  if [ -x "$COREDNS_BIN_DIR/coredns" ]; then log "coredns $COREDNS_VERSION cached in $COREDNS_BIN_DIR"; return 0; fi
  go_env
  mkdir -p "$COREDNS_BIN_DIR"
  local t; t=$(now)
  log "building coredns $COREDNS_VERSION"
  (cd "$CLUSTER_SRC_DIR/coredns" && nice -n 10 go build -trimpath \
     -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" \
     -o "$COREDNS_BIN_DIR/coredns.tmp" github.com/coredns/coredns) || die "building coredns failed"
  mv -f "$COREDNS_BIN_DIR/coredns.tmp" "$COREDNS_BIN_DIR/coredns"
  record_time "coredns" "$(elapsed "$t")"
  "$COREDNS_BIN_DIR/coredns" -version
}

build_images() {
  bash "$CLUSTER_SRC_DIR/images/build-images.sh"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(k8s coredns images)
for t in "${targets[@]}"; do
  case "$t" in
    all) build_k8s; build_coredns; build_images ;;
    k8s) build_k8s ;;
    coredns) build_coredns ;;
    images) build_images ;;
    *) die "unknown build target '$t' (k8s|coredns|images|all)" ;;
  esac
done
