#!/usr/bin/env bash
# Fail, power off or restart one node of the sts-lab local cluster, for node-failure tests.
#   sudo test/cluster/node.sh NODE stop|poweroff|start|status     (NODE: a node name or its number)
# stop      stops that node's kubelet only: its containers keep running, as on a node cut off
#           from the API server.
# poweroff  also kills its containers and stops its containerd, as a node that lost power.
# start     starts what is stopped and waits for the node to be Ready.
# Acts on that node's recorded processes only (pid + start time). A stopped node leaves the
# marker run/NODE.stopped, so status.sh and up.sh do not tear the cluster down mid-test.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/processes.sh
source "$CLUSTER_SRC_DIR/lib/processes.sh"
usage() { echo "usage: $0 NODE stop|poweroff|start|status   (nodes: $(node_names | tr '\n' ' '))" >&2; exit 2; }
[ $# = 2 ] || usage
if [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le "$NODES" ]; then k=$1; else k=$(node_index "$1") || usage; fi
node_vars "$k"
marker="$RUN/$N_NAME.stopped"

case "$2" in
  status)
    for c in "containerd$N_SUFFIX" "kubelet$N_SUFFIX"; do
      if pid=$(component_pid "$c"); then echo "$c running (pid $pid)"; else echo "$c stopped"; fi
    done
    [ -e "$marker" ] && echo "stopped on purpose: $(cat "$marker")"
    echo "Ready: $(node_condition "$N_NAME" || echo unknown)"
    exit 0 ;;
  stop|poweroff|start) ;;
  *) usage ;;
esac

require_root
exec </dev/null
exec 8>"$D/.lock"
flock -w 180 8 || die "another up.sh/down.sh/node.sh has held $D/.lock for 3 minutes"
component_pid kube-apiserver >/dev/null || die "the cluster is not running (test/cluster/up.sh)"

case "$2" in
  stop|poweroff)
    echo "$2 $(date -u +%FT%TZ)" > "$marker"
    if pid=$(component_pid "kubelet$N_SUFFIX"); then stop_pid "kubelet$N_SUFFIX" "$pid"; fi
    # best effort, as in down.sh: a task already gone makes ctr fail
    [ "$2" = stop ] || stop_node_containers || true
    log "node $N_NAME: $2 done (start it again with: $0 $N_NAME start)" ;;
  start)
    component_pid "containerd$N_SUFFIX" >/dev/null || start_containerd
    component_pid "kubelet$N_SUFFIX" >/dev/null || start_kubelet
    wait_for "kubelet$N_SUFFIX" "node $N_NAME Ready" node_ready "$N_NAME"
    rm -f "$marker" ;;
esac
