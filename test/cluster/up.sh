#!/usr/bin/env bash
# Start the sts-lab local single-node Kubernetes cluster (idempotent).
#
#   sudo test/cluster/up.sh        # prints the admin kubeconfig path as its LAST stdout line
#
# If the cluster is already running and healthy it says so and exits at once.
# Otherwise it installs missing Debian packages, builds (or takes from the cache)
# Kubernetes/CoreDNS binaries and the local images, and starts containerd, etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler, CoreDNS (host process)
# and the kubelet, all bound to 127.0.0.1. Every wait is bounded.
# Environment: STS_LAB_CLUSTER_DIR (state, default /var/lib/sts-lab/cluster),
#              STS_LAB_CACHE (binaries/images, default ~/.cache/sts-lab),
#              STS_LAB_WAIT (seconds per wait, default 120).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
WAIT=${STS_LAB_WAIT:-120}
T_START=$(now)

require_root
exec </dev/null
mkdir -p "$D" "$LOGS" "$RUN" "$CONF"
exec 8>"$D/.lock"
flock -w 180 8 || die "another up.sh/down.sh has held $D/.lock for 3 minutes; if none runs, remove $D/.lock"

# ---- 0. already running? -----------------------------------------------------
# A DNS-outage test that froze CoreDNS (SIGSTOP) and died before resuming it leaves no dead DNS.
if pid=$(component_pid coredns); then kill -CONT "$pid" 2>/dev/null || true; fi
# The flags below (and the audit policy) are part of the cluster: one started by another version
# of this script is restarted.
CONFIG_STAMP=$(cat "${BASH_SOURCE[0]}" "$CLUSTER_SRC_DIR/manifests/audit-policy.yaml" | sha256sum | cut -c1-16)
if bash "$CLUSTER_SRC_DIR/status.sh" --quiet && [ "$(cat "$D/config-stamp" 2>/dev/null)" = "$CONFIG_STAMP" ]; then
  log "cluster already running and healthy (state $D)"
  echo "$ADMIN_KUBECONFIG"
  exit 0
fi
stale=""
for c in $COMPONENTS; do
  if [ -e "$RUN/$c.pid" ]; then stale=1; fi
done
if [ -n "$stale" ] || [ -d "$D/etcd-data" ] || [ -d "$D/kubelet" ]; then
  log "found a stale, unhealthy or differently configured cluster in $D (from an earlier run): cleaning it up with down.sh first"
  bash "$CLUSTER_SRC_DIR/down.sh" --no-lock >&2 || die "down.sh could not clean up the stale cluster; see the messages above"
fi

# ---- 1. host packages ----------------------------------------------------------
need_pkgs=""
for p in containerd:containerd runc:runc iptables:iptables conntrack:conntrack /usr/lib/cni/bridge:containernetworking-plugins \
         openssl:openssl python3:python3 gcc:gcc curl:curl ss:iproute2 flock:util-linux findmnt:util-linux; do
  cmd=${p%%:*}; pkg=${p#*:}
  if [[ "$cmd" == /* ]]; then [ -x "$cmd" ] || need_pkgs="$need_pkgs $pkg"
  else command -v "$cmd" >/dev/null 2>&1 || need_pkgs="$need_pkgs $pkg"; fi
done
[ -x /usr/bin/etcd ] || need_pkgs="$need_pkgs etcd-server"
if [ -n "$need_pkgs" ]; then
  need_pkgs=$(echo "$need_pkgs" | tr ' ' '\n' | sort -u | tr '\n' ' ')
  log "installing Debian packages:$need_pkgs"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$LOGS/apt.log" 2>&1 || { tail -20 "$LOGS/apt.log" >&2; die "apt-get update failed"; }
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need_pkgs >>"$LOGS/apt.log" 2>&1 \
    || { tail -20 "$LOGS/apt.log" >&2; die "could not install Debian packages:$need_pkgs (see $LOGS/apt.log)"; }
fi

# ---- 2. binaries and images (cache) -------------------------------------------
bash "$CLUSTER_SRC_DIR/build.sh" k8s coredns images >&2
ETCD_BIN=/usr/bin/etcd   # Debian's etcd-server 3.4.23: kube-apiserver 1.34 accepts it
B="$K8S_BIN_DIR"

# ---- 3. ports -----------------------------------------------------------------
# addr:port list we bind; all must be free (our own processes are stopped by now)
PORTS="127.0.0.1:$APISERVER_PORT 127.0.0.1:2379 127.0.0.1:2380 127.0.0.1:2381 127.0.0.1:10250 127.0.0.1:10248 \
127.0.0.1:10257 127.0.0.1:10259 127.0.0.1:18181 127.0.0.1:19153 $CLUSTER_DNS_IP:53"
for ap in $PORTS; do
  port=${ap##*:}
  users=$(ss -Htlnp "sport = :$port" 2>/dev/null; ss -Hulnp "sport = :$port" 2>/dev/null)
  if [ -n "$users" ]; then
    addrs=$(echo "$users" | awk '{print $4}')
    # a listener on another specific address does not clash
    if echo "$addrs" | grep -qE "^(\*|0\.0\.0\.0|\[::\]|\[::ffff:0\.0\.0\.0\]|${ap%:*}):$port$"; then
      echo "$users" >&2
      die "port $ap is already in use by another process (see above); stop it or free the port"
    fi
  fi
done

# ---- 4. host state we change: record originals once ---------------------------
NODE=$(node_name)
mkdir -p "$HOST_STATE"
if [ ! -s "$HOST_STATE/sysctl.orig" ]; then
  for s in $SYSCTLS; do echo "$s=$(sysctl -n "$s" 2>/dev/null)"; done > "$HOST_STATE/sysctl.orig.tmp"
  mv "$HOST_STATE/sysctl.orig.tmp" "$HOST_STATE/sysctl.orig"
fi
if [ ! -e "$HOST_STATE/preexisting" ]; then
  {
    for t in filter nat mangle; do iptables -t "$t" -S 2>/dev/null | awk -v t="$t" '$1=="-N" && $2 ~ /^KUBE-/ {print "chain " t " " $2}'; done
    for cg in /sys/fs/cgroup/memory/kubepods /sys/fs/cgroup/kubepods; do [ -d "$cg" ] && echo "cgroup kubepods"; done
    for p in /var/lib/kubelet /var/log/containers /var/log/pods /var/lib/cni /etc/cni/net.d /run/netns /var/run/netns; do [ -e "$p" ] && echo "path $p"; done
  } > "$HOST_STATE/preexisting" || true
fi

# ---- 5. certificates, kubeconfigs, configs ------------------------------------
bash "$CLUSTER_SRC_DIR/lib/certs.sh" "$NODE" >&2
mkdir -p "$D/containerd/root" "$D/containerd/certs.d/_default" /run/sts-lab/containerd "$D/etcd-data" "$D/kubelet" "$D/pod-logs" "$D/cni/net.d" "$D/cni/ipam" "$HOSTPATH_PV_DIR"
chmod 700 "$D/etcd-data"

cat > "$CONF/containerd.toml" <<EOF
version = 2
root = "$D/containerd/root"
state = "/run/sts-lab/containerd"
disabled_plugins = ["io.containerd.internal.v1.tracing", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[debug]
  level = "warn"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  enable_selinux = false
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "/run/sts-lab/runc"
        BinaryName = "$(command -v runc)"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$D/cni/net.d"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    # no registry is reachable or wanted: every pull goes to a closed local port
    config_path = "$D/containerd/certs.d"
EOF
cat > "$D/containerd/certs.d/_default/hosts.toml" <<EOF
# sts-lab: images are imported locally; any pull fails fast on loopback instead of leaving the machine
server = "http://127.0.0.1:9"
EOF

cat > "$D/cni/net.d/10-sts-lab.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "$CNI_NETWORK",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$D/cni/ipam",
        "ranges": [[{"subnet": "$NODE_POD_SUBNET"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}},
    {"type": "loopback"}
  ]
}
EOF

# host resolv.conf for the kubelet: no upstream servers, no search domains
printf '# sts-lab: pods get only the cluster DNS (%s); nothing is forwarded\n' "$CLUSTER_DNS_IP" > "$CONF/host-resolv.conf"

cat > "$CONF/kubelet-config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
imageServiceEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
failSwapOn: false
failCgroupV1: false
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $PKI/ca.crt
authorization:
  mode: Webhook
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
clusterDomain: cluster.local
clusterDNS: [$CLUSTER_DNS_IP]
resolvConf: $CONF/host-resolv.conf
podLogsDir: $D/pod-logs
serializeImagePulls: false
# test speed
nodeStatusUpdateFrequency: 4s
nodeStatusReportFrequency: 20s
syncFrequency: 10s
fileCheckFrequency: 10s
# local images only: never garbage-collect them
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: "100Mi"
  nodefs.available: "1%"
  nodefs.inodesFree: "1%"
  imagefs.available: "1%"
containerLogMaxSize: 10Mi
containerLogMaxFiles: 2
shutdownGracePeriod: 0s
EOF

cat > "$CONF/Corefile" <<EOF
# CoreDNS for the sts-lab cluster: cluster names only, nothing is forwarded.
cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
    bind $CLUSTER_DNS_IP
    errors
    ready 127.0.0.1:18181
    prometheus 127.0.0.1:19153
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $D/coredns.kubeconfig sts-lab-coredns@sts-lab
        pods insecure
        ttl 5
    }
    loadbalance
}
EOF

# ---- 6. network: DNS address + guard rules ------------------------------------
if ! ip link show "$DNS_IFACE" >/dev/null 2>&1; then
  if ! ip link add "$DNS_IFACE" type dummy 2>/dev/null; then
    # no dummy driver on this kernel: an empty bridge serves the same purpose
    ip link add "$DNS_IFACE" type bridge || die "could not create interface $DNS_IFACE (dummy or bridge)"
  fi
fi
ip link set "$DNS_IFACE" up
ip -4 addr show dev "$DNS_IFACE" | grep -q " $CLUSTER_DNS_IP/" || ip addr add "$CLUSTER_DNS_IP/32" dev "$DNS_IFACE"
[ -n "$(external_ifaces)" ] || log "note: no default route; guard rules only cover the generic pod-CIDR rule"
guard_rules | while read -r chain rule; do
  # shellcheck disable=SC2086
  iptables -C "$chain" $rule 2>/dev/null || iptables -I "$chain" 1 $rule || die "iptables -I $chain $rule failed"
done

# ---- 7. start components ------------------------------------------------------
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
CTR=(ctr -a "$CONTAINERD_SOCK" -n k8s.io)

start containerd containerd --config "$CONF/containerd.toml"
wait_for containerd "containerd is serving" "${CTR[@]}" version
for tar in "$IMAGE_CACHE_DIR/pause.tar" "$IMAGE_CACHE_DIR/sts-lab-nginx.tar"; do
  "${CTR[@]}" images import "$tar" >/dev/null || die "ctr images import $tar failed"
done
"${CTR[@]}" images ls -q | grep -qx "$STS_LAB_IMAGE" || die "image $STS_LAB_IMAGE missing after import"
"${CTR[@]}" images label "$PAUSE_IMAGE" io.cri-containerd.pinned=pinned >/dev/null 2>&1 || true

ETCD_EXTRA=()
"$ETCD_BIN" --help 2>&1 | grep -q -- '--unsafe-no-fsync' && ETCD_EXTRA+=(--unsafe-no-fsync)
start etcd "$ETCD_BIN" --name sts-lab --data-dir "$D/etcd-data" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster sts-lab=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
  --quota-backend-bytes 2147483648 --snapshot-count 10000 "${ETCD_EXTRA[@]}"
wait_for etcd "etcd is healthy" curl -fsS --max-time 2 http://127.0.0.1:2379/health

# Alpha (off by default) before 1.35: on here so `update --max-unavailable` can be proved, in the
# API server (keeps the field) and the controller manager (acts on it).
FEATURE_GATES=MaxUnavailableStatefulSet=true
start kube-apiserver "$B/kube-apiserver" \
  --advertise-address=127.0.0.1 --bind-address=127.0.0.1 --secure-port="$APISERVER_PORT" \
  --etcd-servers=http://127.0.0.1:2379 \
  --client-ca-file="$PKI/ca.crt" \
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority="$PKI/ca.crt" \
  --kubelet-preferred-address-types=Hostname,InternalIP \
  --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --endpoint-reconciler-type=none \
  --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key" \
  --audit-policy-file="$CLUSTER_SRC_DIR/manifests/audit-policy.yaml" --audit-log-path="$LOGS/audit.log" \
  --audit-log-maxsize=200 --audit-log-maxbackup=1 \
  --allow-privileged=true --profiling=false --cert-dir="$D/apiserver-certs" --feature-gates="$FEATURE_GATES" --v=1
wait_for kube-apiserver "kube-apiserver /readyz ok" \
  curl -fsS --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "https://127.0.0.1:$APISERVER_PORT/readyz"

# cluster objects (RBAC for CoreDNS and the limited user, default StorageClass)
wait_for kube-apiserver "cluster objects applied" kc apply -f "$CLUSTER_SRC_DIR/manifests/cluster-objects.yaml"

start kube-controller-manager "$B/kube-controller-manager" \
  --kubeconfig="$D/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$D/controller-manager.kubeconfig" --authorization-kubeconfig="$D/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=10257 \
  --root-ca-file="$PKI/ca.crt" --service-account-private-key-file="$PKI/sa.key" --use-service-account-credentials=true \
  --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
  --service-cluster-ip-range="$SERVICE_CIDR" --allocate-node-cidrs=false \
  --enable-hostpath-provisioner=true --feature-gates="$FEATURE_GATES" \
  --leader-elect=false --profiling=false --v=1
start kube-scheduler "$B/kube-scheduler" \
  --kubeconfig="$D/scheduler.kubeconfig" \
  --authentication-kubeconfig="$D/scheduler.kubeconfig" --authorization-kubeconfig="$D/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=10259 --leader-elect=false --profiling=false --v=1
start coredns "$COREDNS_BIN_DIR/coredns" -conf "$CONF/Corefile"
HOSTNAME_ARGS=()
[ "$NODE" = "$(hostname | tr 'A-Z' 'a-z')" ] || HOSTNAME_ARGS=(--hostname-override="$NODE")
start kubelet "$B/kubelet" \
  --config="$CONF/kubelet-config.yaml" --kubeconfig="$D/kubelet.kubeconfig" \
  --root-dir="$D/kubelet" "${HOSTNAME_ARGS[@]}" --v=1

wait_for kube-controller-manager "kube-controller-manager healthy" curl -fsSk --max-time 2 https://127.0.0.1:10257/healthz
wait_for kube-scheduler "kube-scheduler healthy" curl -fsSk --max-time 2 https://127.0.0.1:10259/healthz
wait_for coredns "CoreDNS ready (synced with the API)" curl -fsS --max-time 2 http://127.0.0.1:18181/ready
node_ready() { [ "$(kc get node "$NODE" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; }
wait_for kubelet "node $NODE Ready" node_ready
# the default ServiceAccount must exist before pods can be created in a new namespace
wait_for kube-controller-manager "service accounts controller running" kc -n sts-lab-limited get serviceaccount default

echo "$CONFIG_STAMP" >"$D/config-stamp"
log "cluster up in $(elapsed "$T_START")s: node $NODE Ready, state $D"
log "kubectl: $B/kubectl   image: $STS_LAB_IMAGE   limited kubeconfig: $LIMITED_KUBECONFIG"
echo "$ADMIN_KUBECONFIG"
