#!/usr/bin/env bash
# Stop the sts-lab local cluster and undo its host changes.
#   sudo test/cluster/down.sh
# Stops exactly the processes up.sh recorded (pid + start time), kills the pod
# containers first, then removes the cluster state (etcd data, every node's kubelet
# dir, containerd state and cgroup root, hostpath and local-path volumes, CNI
# netns/bridges/IPAM, the DNS interface,
# the guard iptables rules and the KUBE-*/CNI-* chains made by the kubelet/CNI)
# and restores the sysctls saved at the first start.
# Keeps: certificates + kubeconfigs (so their paths stay valid), logs, and the
# cached binaries/images in $STS_LAB_CACHE.
set -uo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/processes.sh
source "$CLUSTER_SRC_DIR/lib/processes.sh"
require_root
exec </dev/null
if [ "${1:-}" != "--no-lock" ]; then
  mkdir -p "$D"
  exec 8>"$D/.lock"
  flock -w 180 8 || die "another up.sh/down.sh has held $D/.lock for 3 minutes; if none runs, remove $D/.lock"
fi
T0=$(now)
# every node that has state here, whatever STS_LAB_NODES says now
NODE_KS=$(for k in $(seq 1 9); do node_vars "$k"; if [ "$k" = 1 ] || [ -d "$N_DIR" ] || [ -e "$RUN/containerd$N_SUFFIX.pid" ]; then echo "$k"; fi; done)

# 1. kubelets, then the control plane (reverse start order); containerds last
for k in $NODE_KS; do
  node_vars "$k"
  if pid=$(component_pid "kubelet$N_SUFFIX"); then stop_pid "kubelet$N_SUFFIX" "$pid"; fi
  rm -f "$RUN/kubelet$N_SUFFIX.pid" "$RUN/$N_NAME.stopped"
done
for c in local-path-provisioner kube-proxy coredns kube-scheduler kube-controller-manager kube-apiserver etcd; do
  if pid=$(component_pid "$c"); then stop_pid "$c" "$pid"; fi
  rm -f "$RUN/$c.pid"
done

# 2. pod containers of each node
for k in $NODE_KS; do node_vars "$k"; stop_node_containers; done
# 3. mounts below our state (kubelet volumes, its self bind mount, overlay rootfs, shm)
umount_below() { # dir
  local dir=$1 m i
  [ -d "$dir" ] || return 0
  for i in 1 2 3; do
    m=$(awk -v d="$dir" '{ gsub(/\\040/, " ", $5); if (index($5, d "/") == 1 || $5 == d) print $5 }' /proc/self/mountinfo | sort -r)
    [ -z "$m" ] && return 0
    echo "$m" | while read -r mp; do umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null; done
  done
}
umount_below "$D"
umount_below /run/sts-lab
umount_below "$HOSTPATH_PV_DIR"

# 4. network: pod netns (ours = has an address in our pod network), bridges, DNS iface
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^cni-'); do
  if ip -n "$ns" -4 addr 2>/dev/null | grep -qF "inet ${POD_CIDR%.*.*}."; then
    ip netns delete "$ns" 2>/dev/null && log "deleted pod netns $ns"
  fi
done
for br in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | grep '^stslab[0-9]*$'); do
  ip link delete "$br" && log "deleted bridge $br"
done
ip link show "$DNS_IFACE" >/dev/null 2>&1 && ip link delete "$DNS_IFACE" && log "deleted interface $DNS_IFACE ($CLUSTER_DNS_IP)"

# 5. iptables: guard rules (every copy), then KUBE-*/CNI-* chains that were not there before
if command -v iptables >/dev/null; then
  for t in filter nat mangle; do
    iptables -t "$t" -S 2>/dev/null | grep -- '--comment sts-lab-guard' | sed 's/^-A /-D /' | while read -r rule; do
      # shellcheck disable=SC2086
      eval iptables -t "$t" $rule 2>/dev/null
    done
  done
  pre="$HOST_STATE/preexisting"
  for t in filter nat mangle; do
    chains=$(iptables -t "$t" -S 2>/dev/null | awk '$1=="-N" && ($2 ~ /^KUBE-/ || $2 ~ /^CNI-/) {print $2}')
    [ -n "$chains" ] || continue
    ours=""
    for ch in $chains; do
      if [ -f "$pre" ] && grep -qx "chain $t $ch" "$pre"; then continue; fi
      ours="$ours $ch"
    done
    [ -n "$ours" ] || continue
    for ch in $ours; do
      # rules anywhere that jump to it
      iptables -t "$t" -S 2>/dev/null | grep -E -- "-j $ch( |$)" | sed 's/^-A /-D /' | while read -r rule; do
        # shellcheck disable=SC2086
        eval iptables -t "$t" $rule 2>/dev/null
      done
    done
    for ch in $ours; do iptables -t "$t" -F "$ch" 2>/dev/null; done
    for ch in $ours; do iptables -t "$t" -X "$ch" 2>/dev/null; done
    log "removed iptables chains ($t):$ours"
  done
fi

# 6. sysctls changed by the kubelet (kernel tunables) and the bridge plugin (ip_forward)
if [ -s "$HOST_STATE/sysctl.orig" ]; then
  while IFS='=' read -r k v; do
    [ -n "$k" ] && [ -n "$v" ] || continue
    cur=$(sysctl -n "$k" 2>/dev/null)
    if [ "$cur" != "$v" ]; then sysctl -q -w "$k=$v" >/dev/null 2>&1 && log "restored sysctl $k=$v (was $cur)"; fi
  done < "$HOST_STATE/sysctl.orig"
fi

# 7. kubelet cgroups (cgroupfs driver, cgroup v1 hierarchies and the v2 mount)
if ! { [ -f "$HOST_STATE/preexisting" ] && grep -q '^cgroup kubepods' "$HOST_STATE/preexisting"; }; then
  for cg in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods /sys/fs/cgroup/unified/kubepods; do
    [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
fi
for cg in /sys/fs/cgroup/*/sts-lab-[0-9]*; do [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null; done

# 8. files: our state, hostpath PVs, and host paths the kubelet/CNI create by default
rm -rf --one-file-system "$D/etcd-data" "$D/kubelet" "$D/containerd" "$D/pod-logs" "$D/cni" "$D/nodes" "$D/local-path" "$D/kubelet-certs" \
  "$D/apiserver-certs" "$RUN" /run/sts-lab
rm -rf --one-file-system "$HOSTPATH_PV_DIR"
pre="$HOST_STATE/preexisting"
was_there() { [ -f "$pre" ] && grep -qx "path $1" "$pre"; }
if [ -d /var/log/containers ]; then
  find /var/log/containers -maxdepth 1 -type l -lname "$D/*" -delete 2>/dev/null
  was_there /var/log/containers || rmdir /var/log/containers 2>/dev/null
fi
was_there /var/log/pods || rmdir /var/log/pods 2>/dev/null
if ! was_there /var/lib/kubelet && [ -d /var/lib/kubelet ]; then
  umount_below /var/lib/kubelet
  rm -rf --one-file-system /var/lib/kubelet
fi
if [ -d /var/lib/cni ]; then
  rm -rf /var/lib/cni/results/"$CNI_NETWORK"-* 2>/dev/null
  was_there /var/lib/cni || rm -rf --one-file-system /var/lib/cni
fi
rm -rf "$HOST_STATE"
log "sts-lab cluster stopped and cleaned up in $(elapsed "$T0")s (kept: $PKI, kubeconfigs, $LOGS, cache $STS_LAB_CACHE)"
exit 0
