#!/usr/bin/env bash
# Build (or reuse from the cache) everything the local cluster runs:
#   Kubernetes server binaries, kube-proxy and kubectl, etcd, CoreDNS, rancher's
#   local-path-provisioner and the
#   two local container images. Cached outside the repo in $STS_LAB_CACHE, keyed by
#   version (binaries) or by a content hash of the inputs (images), so a second run
#   builds nothing.
# usage: build.sh [all|k8s|etcd|coredns|local-path|images]...   (default: all)
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
  local minor=$K8S_MINOR
  # the version named in the ldflags and the cache folder must be the one go.mod builds
  grep -Eq "^[[:space:]]*(require )?k8s.io/kubernetes $K8S_VERSION( |\$)" "$K8S_MODULE_DIR/go.mod" \
    || die "$K8S_MODULE_DIR/go.mod does not require k8s.io/kubernetes $K8S_VERSION (regenerate it: k8s/gen-module.sh $K8S_VERSION $K8S_MODULE_DIR)"
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
  (cd "$K8S_MODULE_DIR" && go mod download) || die "go mod download failed (is the Go module proxy reachable?)"
  record_time "k8s go mod download" "$(elapsed "$t0")"
  for c in $missing; do
    t=$(now)
    if ! (cd "$K8S_MODULE_DIR" && CGO_ENABLED=${CGO_ENABLED_K8S:-0} nice -n 10 go build -trimpath -ldflags "$ld" -o "$tmp/$c" "k8s.io/kubernetes/cmd/$c"); then
      log "retrying $c with -checklinkname=0"
      (cd "$K8S_MODULE_DIR" && CGO_ENABLED=${CGO_ENABLED_K8S:-0} nice -n 10 go build -trimpath -ldflags "$ld -checklinkname=0" -o "$tmp/$c" "k8s.io/kubernetes/cmd/$c") \
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

# go_tool NAME VERSION MODULE_DIR PACKAGE BIN_DIR [ldflags]: builds a wrapper module's tool once
go_tool() {
  local name=$1 version=$2 dir=$3 pkg=$4 bin=$5 ld="-s -w ${6:-}"
  if [ -x "$bin/$name" ]; then log "$name $version cached in $bin"; return 0; fi
  go_env
  mkdir -p "$bin"
  local t; t=$(now)
  log "building $name $version"
  (cd "$dir" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "$ld" -o "$bin/$name.tmp" "$pkg") || die "building $name failed"
  mv -f "$bin/$name.tmp" "$bin/$name"
  record_time "$name" "$(elapsed "$t")"
}
build_coredns() {
  go_tool coredns "$COREDNS_VERSION" "$CLUSTER_SRC_DIR/coredns" github.com/coredns/coredns "$COREDNS_BIN_DIR" \
    "-X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION"
}
build_etcd() {
  go_tool etcd "$ETCD_VERSION" "$CLUSTER_SRC_DIR/etcd" go.etcd.io/etcd/server/v3 "$ETCD_BIN_DIR"
}
build_local_path() {
  go_tool local-path-provisioner "$LOCAL_PATH_VERSION" "$CLUSTER_SRC_DIR/local-path" github.com/rancher/local-path-provisioner "$LOCAL_PATH_BIN_DIR"
}

build_images() {
  bash "$CLUSTER_SRC_DIR/images/build-images.sh"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(all)
for t in "${targets[@]}"; do
  case "$t" in
    all) build_k8s; build_etcd; build_coredns; build_local_path; build_images ;;
    k8s) build_k8s ;;
    etcd) build_etcd ;;
    coredns) build_coredns ;;
    local-path) build_local_path ;;
    images) build_images ;;
    *) die "unknown build target '$t' (k8s|etcd|coredns|local-path|images|all)" ;;
  esac
done
