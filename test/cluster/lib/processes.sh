# Starting, waiting for and stopping the cluster's processes (up.sh, down.sh, node.sh). Sourced after common.sh.
# shellcheck shell=bash
WAIT=${STS_LAB_WAIT:-120}
# the machine's own address, which every node reports (nodes 2.. cannot look their names up)
NODE_IP=$(ip -4 route get 1.1.1.1 2>/dev/null | awk '{for(i=1;i<NF;i++) if($i=="src") {print $(i+1); exit}}')

start() { # name cmd...
  local n=$1; shift
  # keep logs bounded: rotate at 50 MB
  if [ -f "$LOGS/$n.log" ] && [ "$(stat -c %s "$LOGS/$n.log")" -gt 52428800 ]; then mv -f "$LOGS/$n.log" "$LOGS/$n.log.1"; fi
  echo "==== $(date -u +%FT%TZ) starting $n: $*" >> "$LOGS/$n.log"
  # 8>&-: the daemons must not inherit (and hold) the up/down lock
  setsid nohup "$@" >> "$LOGS/$n.log" 2>&1 < /dev/null 8>&- &
  local pid=$!
  sleep 0.1
  record_pid "$n" "$pid"
  log "started $n (pid $pid, log $LOGS/$n.log)"
}

# wait_for name description cmd... : bounded; fails if the component dies
wait_for() {
  local n=$1 d=$2; shift 2
  local t0; t0=$(now)
  local deadline=$(( $(date +%s) + WAIT ))
  while :; do
    if "$@" >/dev/null 2>&1; then log "$d (after $(elapsed "$t0")s)"; return 0; fi
    if ! component_pid "$n" >/dev/null; then
      tail_log "$n"
      die "$n died during start; its log: $LOGS/$n.log (run $CLUSTER_SRC_DIR/down.sh to clean up)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail_log "$n"
      die "timed out after ${WAIT}s waiting for: $d; log: $LOGS/$n.log (run $CLUSTER_SRC_DIR/down.sh to clean up)"
    fi
    sleep 0.3
  done
}

node_condition() { # node name: True, False or Unknown (nothing when the API does not answer)
  kc get node "$1" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null
}
node_ready() { [ "$(node_condition "$1")" = True ]; }

# Node K's containerd, started and serving (node_vars K first).
start_containerd() {
  start "containerd$N_SUFFIX" containerd --config "$N_DIR/conf/containerd.toml"
  wait_for "containerd$N_SUFFIX" "containerd of node $N_NAME is serving" ctr -a "$N_SOCK" -n k8s.io version
}

# The local images, imported into node K's running containerd (node_vars K first).
import_images() {
  local ctr=(ctr -a "$N_SOCK" -n k8s.io) tar
  for tar in "$IMAGE_CACHE_DIR/pause.tar" "$IMAGE_CACHE_DIR/sts-lab-nginx.tar"; do
    "${ctr[@]}" images import "$tar" >/dev/null || die "ctr images import $tar failed (node $N_NAME)"
  done
  "${ctr[@]}" images ls -q | grep -qx "$STS_LAB_IMAGE" || die "image $STS_LAB_IMAGE missing after import (node $N_NAME)"
  "${ctr[@]}" images label "$PAUSE_IMAGE" io.cri-containerd.pinned=pinned >/dev/null 2>&1 || true
}

# Node K's kubelet (node_vars K first). Nodes 2.. are named only in the API server's hosts
# file, so they are given the machine's address instead of looking their own name up.
start_kubelet() {
  local args=(--config="$N_DIR/conf/kubelet-config.yaml" --kubeconfig="$D/$N_KUBELET.kubeconfig"
    --root-dir="$N_DIR/kubelet" --cert-dir="$N_DIR/kubelet-certs" --v=1)
  [ "$N_NAME" = "$(hostname | tr 'A-Z' 'a-z')" ] || args+=(--hostname-override="$N_NAME")
  if [ "$N_K" != 1 ] && [ -n "$NODE_IP" ]; then args+=(--node-ip="$NODE_IP"); fi
  start "kubelet$N_SUFFIX" "$K8S_BIN_DIR/kubelet" "${args[@]}"
}

stop_pid() { # name pid
  local n=$1 pid=$2 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 32); do proc_alive "$pid" || { log "stopped $n (pid $pid)"; return 0; }; sleep 0.25; done
  log "$n (pid $pid) did not stop after 8s: SIGKILL (its state is wiped anyway)"
  kill -KILL "$pid" 2>/dev/null
  for i in $(seq 1 20); do proc_alive "$pid" || return 0; sleep 0.25; done
  log "WARNING: $n (pid $pid) still alive"
}

# Kills node K's pod containers through its containerd while it runs, then through runc, then
# stops that containerd and any shim it left (node_vars K first).
stop_node_containers() {
  local ctr=(ctr -a "$N_SOCK" -n k8s.io) runc_root=$N_RUNC_ROOT/k8s.io pid tasks t c id p cmd
  if component_pid "containerd$N_SUFFIX" >/dev/null && "${ctr[@]}" version >/dev/null 2>&1; then
    tasks=$("${ctr[@]}" tasks ls -q 2>/dev/null)
    if [ -n "$tasks" ]; then
      log "killing $(echo "$tasks" | wc -l) pod containers of node $N_NAME"
      for t in $tasks; do timeout 10 "${ctr[@]}" tasks kill -a -s SIGKILL "$t" >/dev/null 2>&1; done
      for t in $tasks; do timeout 10 "${ctr[@]}" tasks delete -f "$t" >/dev/null 2>&1; done
    fi
    for c in $("${ctr[@]}" containers ls -q 2>/dev/null); do timeout 10 "${ctr[@]}" containers delete "$c" >/dev/null 2>&1; done
  fi
  if [ -d "$runc_root" ] && command -v runc >/dev/null; then
    for id in $(runc --root "$runc_root" list -q 2>/dev/null); do
      runc --root "$runc_root" kill --all "$id" KILL >/dev/null 2>&1
      runc --root "$runc_root" delete -f "$id" >/dev/null 2>&1
    done
  fi
  if pid=$(component_pid "containerd$N_SUFFIX"); then stop_pid "containerd$N_SUFFIX" "$pid"; fi
  rm -f "$RUN/containerd$N_SUFFIX.pid"
  # shims started by this containerd (matched by its socket path)
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    cmd=$(tr '\0' ' ' < "$p/cmdline" 2>/dev/null) || continue
    case "$cmd" in
      *containerd-shim*"$N_SOCK "*) log "stopping leftover shim pid $pid"; kill -KILL "$pid" 2>/dev/null ;;
    esac
  done
}
