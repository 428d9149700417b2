#!/usr/bin/env bash
# Start the sts-lab local Kubernetes cluster of STS_LAB_NODES nodes (default 3; idempotent).
#
#   sudo test/cluster/up.sh        # prints the admin kubeconfig path as its LAST stdout line
#
# If the cluster is already running and healthy it says so and exits at once.
# Otherwise it installs missing Debian packages, builds (or takes from the cache)
# Kubernetes, etcd, CoreDNS and local-path-provisioner binaries and the local images,
# and starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler, CoreDNS,
# kube-proxy and local-path-provisioner (host processes), and per node a containerd
# and a kubelet, all bound to 127.0.0.1. Every wait is bounded.
# Environment: STS_LAB_CLUSTER_DIR (state, default /var/lib/sts-lab/cluster),
#              STS_LAB_CACHE (binaries/images, default ~/.cache/sts-lab),
#              STS_LAB_WAIT (seconds per wait, default 120),
#              STS_LAB_NODES (1-9, default 3), STS_LAB_K8S_VERSION (default v1.37.2),
#              STS_LAB_FEATURE_GATES (gates to turn on, e.g. MaxUnavailableStatefulSet=true;
#              none by default: every version runs with upstream's defaults).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
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
CONFIG_STAMP=$( (cat "${BASH_SOURCE[0]}" "$CLUSTER_SRC_DIR/lib/common.sh" "$CLUSTER_SRC_DIR/manifests/"*.yaml; \
  echo "$K8S_VERSION $NODES ${STS_LAB_FEATURE_GATES:-}") | sha256sum | cut -c1-16)
if bash "$CLUSTER_SRC_DIR/status.sh" --quiet && [ "$(cat "$D/config-stamp" 2>/dev/null)" = "$CONFIG_STAMP" ]; then
  log "cluster already running and healthy (state $D)"
  # a node a test stopped on purpose (node.sh) is left as it is: restarting the cluster would end that test
  for f in "$RUN"/*.stopped; do [ -e "$f" ] && log "note: node $(basename "$f" .stopped) is stopped on purpose (node.sh $(basename "$f" .stopped) start)"; done
  echo "$ADMIN_KUBECONFIG"
  exit 0
fi
stale=""
for f in "$RUN"/*.pid; do [ -e "$f" ] && stale=1; done
if [ -n "$stale" ] || [ -d "$D/etcd-data" ] || [ -d "$D/kubelet" ] || [ -d "$D/nodes" ]; then
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
command -v unshare >/dev/null 2>&1 || need_pkgs="$need_pkgs util-linux"
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
bash "$CLUSTER_SRC_DIR/build.sh" all >&2
B="$K8S_BIN_DIR"

# ---- 3. ports -----------------------------------------------------------------
# addr:port list we bind; all must be free (our own processes are stopped by now)
PORTS="127.0.0.1:$APISERVER_PORT 127.0.0.1:2379 127.0.0.1:2380 127.0.0.1:2381 \
127.0.0.1:10257 127.0.0.1:10259 127.0.0.1:10249 127.0.0.1:10256 127.0.0.1:18181 127.0.0.1:19153 $CLUSTER_DNS_IP:53"
for k in $(seq 1 "$NODES"); do node_vars "$k"; PORTS="$PORTS 127.0.0.1:$N_PORT 127.0.0.1:$N_HEALTHZ_PORT"; done
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
bash "$CLUSTER_SRC_DIR/lib/certs.sh" >&2
mkdir -p "$D/etcd-data" "$HOSTPATH_PV_DIR" "$D/local-path"
chmod 700 "$D/etcd-data"
# host resolv.conf for the kubelets: no upstream servers, no search domains
printf '# sts-lab: pods get only the cluster DNS (%s); nothing is forwarded\n' "$CLUSTER_DNS_IP" > "$CONF/host-resolv.conf"
# The API server reaches each kubelet by its node name, and nodes 2.. exist only here: their
# names resolve to loopback in the API server's own mount namespace, and nothing goes to /etc.
{ echo "127.0.0.1 localhost"; node_names | sed 's/^/127.0.0.1 /'; } > "$CONF/apiserver-hosts"

node_configs() { # writes node K's containerd, CNI and kubelet configuration (node_vars K first)
  mkdir -p "$N_DIR/containerd/root" "$N_DIR/containerd/certs.d/_default" "$N_RUN/containerd" "$N_DIR/kubelet" \
    "$N_DIR/pod-logs" "$N_DIR/cni/net.d" "$N_DIR/cni/ipam" "$N_DIR/kubelet-certs" "$N_DIR/conf"
  cat > "$N_DIR/conf/containerd.toml" <<EOF
version = 2
root = "$N_DIR/containerd/root"
state = "$N_RUN/containerd"
disabled_plugins = ["io.containerd.internal.v1.tracing", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$N_SOCK"
[ttrpc]
  address = "$N_SOCK.ttrpc"
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
        Root = "$N_RUNC_ROOT"
        BinaryName = "$(command -v runc)"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$N_DIR/cni/net.d"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    # no registry is reachable or wanted: every pull goes to a closed local port
    config_path = "$N_DIR/containerd/certs.d"
EOF
  cat > "$N_DIR/containerd/certs.d/_default/hosts.toml" <<EOF
# sts-lab: images are imported locally; any pull fails fast on loopback instead of leaving the machine
server = "http://127.0.0.1:9"
EOF
  # one bridge and /24 per node; the host routes between the bridges as kindnetd's routes do
  cat > "$N_DIR/cni/net.d/10-sts-lab.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "$CNI_NETWORK",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$N_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$N_DIR/cni/ipam",
        "ranges": [[{"subnet": "$N_SUBNET"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}},
    {"type": "loopback"}
  ]
}
EOF
  cat > "$N_DIR/conf/kubelet-config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $N_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $N_HEALTHZ_PORT
containerRuntimeEndpoint: unix://$N_SOCK
imageServiceEndpoint: unix://$N_SOCK
cgroupDriver: cgroupfs
cgroupRoot: $N_CGROUP_ROOT
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
tlsCertFile: $PKI/$N_KUBELET_SERVING.crt
tlsPrivateKeyFile: $PKI/$N_KUBELET_SERVING.key
clusterDomain: cluster.local
clusterDNS: [$CLUSTER_DNS_IP]
resolvConf: $CONF/host-resolv.conf
podLogsDir: $N_DIR/pod-logs
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
  # A kubelet destroys pod cgroups it does not know below its root: nodes 2.. get their own root,
  # made beforehand in every hierarchy the cgroupfs driver uses.
  if [ "$N_CGROUP_ROOT" != / ]; then
    local h
    for h in /sys/fs/cgroup/*/; do
      [ "$h" = /sys/fs/cgroup/unified/ ] && continue
      mkdir -p "$h${N_CGROUP_ROOT#/}"
    done
    for f in cpuset.cpus cpuset.mems; do
      cat "/sys/fs/cgroup/cpuset/$f" > "/sys/fs/cgroup/cpuset/${N_CGROUP_ROOT#/}/$f"
    done
  fi
}
for k in $(seq 1 "$NODES"); do node_vars "$k"; node_configs; done

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

cat > "$CONF/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $D/kube-proxy.kubeconfig
hostnameOverride: $(node_vars 1; echo "$N_NAME")
mode: iptables
clusterCIDR: $POD_CIDR
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
conntrack:
  # leave the host's conntrack settings as they are
  maxPerCore: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
EOF

# local-path-provisioner: every node has its own directory, as separate disks would
{
  printf '{"nodePathMap":['
  sep=""
  for k in $(seq 1 "$NODES"); do node_vars "$k"; printf '%s{"node":"%s","paths":["%s"]}' "$sep" "$N_NAME" "$D/local-path/$N_NAME"; sep=,; done
  printf ']}\n'
} > "$CONF/local-path-config.json"

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
guard_first() { # the guard rules at the head of their chains, ahead of kube-proxy's ACCEPTs
  guard_rules | while read -r chain rule; do
    # shellcheck disable=SC2086
    while iptables -D "$chain" $rule 2>/dev/null; do :; done
    # shellcheck disable=SC2086
    iptables -I "$chain" 1 $rule || die "iptables -I $chain $rule failed"
  done
}
guard_first

# ---- 7. start components ------------------------------------------------------
# shellcheck source=lib/processes.sh
source "$CLUSTER_SRC_DIR/lib/processes.sh"

# Something this run's pid files do not know may still serve the cluster's sockets and ports: a
# cluster started from another PID namespace, whose processes down.sh cannot see. Starting beside
# it would talk to its containerd (with its state just wiped) instead of ours, so stop here. (The ports were checked above; a socket file is reachable from any network namespace.)
for k in $(seq 1 "$NODES"); do
  node_vars "$k"
  ! ctr -a "$N_SOCK" version >/dev/null 2>&1 ||
    die "a containerd this cluster did not start already serves $N_SOCK (another sts-lab cluster on this host, maybe from another PID namespace or container): stop it with down.sh where it was started"
done
for k in $(seq 1 "$NODES"); do node_vars "$k"; start_containerd; import_images; done

ETCD_BIN="$ETCD_BIN_DIR/etcd"
start etcd "$ETCD_BIN" --name sts-lab --data-dir "$D/etcd-data" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster sts-lab=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
  --quota-backend-bytes 2147483648 --snapshot-count 10000 --unsafe-no-fsync --log-level warn
wait_for etcd "etcd $ETCD_VERSION is healthy" curl -fsS --max-time 2 http://127.0.0.1:2379/health

# Upstream's default gates unless a run names some (STS_LAB_FEATURE_GATES), so each version
# behaves as a stock cluster of that version does.
GATES=()
[ -z "${STS_LAB_FEATURE_GATES:-}" ] || GATES=(--feature-gates="$STS_LAB_FEATURE_GATES")
start kube-apiserver unshare --mount --propagation private sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$CONF/apiserver-hosts" \
  "$B/kube-apiserver" \
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
  --allow-privileged=true --profiling=false --cert-dir="$D/apiserver-certs" "${GATES[@]}" --v=1
wait_for kube-apiserver "kube-apiserver /readyz ok" \
  curl -fsS --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "https://127.0.0.1:$APISERVER_PORT/readyz"

# cluster objects: StorageClasses, RBAC, kube-dns, local-path's namespace and configuration, the limited user
cluster_objects() {
  kc apply -f "$CLUSTER_SRC_DIR/manifests/cluster-objects.yaml" >/dev/null &&
  kc -n local-path-storage create configmap local-path-config --from-file=config.json="$CONF/local-path-config.json" \
    --from-file=setup="$CLUSTER_SRC_DIR/manifests/local-path/setup" --from-file=teardown="$CLUSTER_SRC_DIR/manifests/local-path/teardown" \
    --from-file=helperPod.yaml="$CLUSTER_SRC_DIR/manifests/local-path/helper-pod.yaml" --dry-run=client -o yaml | kc apply -f - >/dev/null
}
wait_for kube-apiserver "cluster objects applied" cluster_objects

start kube-controller-manager "$B/kube-controller-manager" \
  --kubeconfig="$D/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$D/controller-manager.kubeconfig" --authorization-kubeconfig="$D/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=10257 \
  --root-ca-file="$PKI/ca.crt" --service-account-private-key-file="$PKI/sa.key" --use-service-account-credentials=true \
  --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
  --service-cluster-ip-range="$SERVICE_CIDR" --allocate-node-cidrs=false \
  --enable-hostpath-provisioner=true "${GATES[@]}" \
  --leader-elect=false --profiling=false --v=1
start kube-scheduler "$B/kube-scheduler" \
  --kubeconfig="$D/scheduler.kubeconfig" \
  --authentication-kubeconfig="$D/scheduler.kubeconfig" --authorization-kubeconfig="$D/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=10259 --leader-elect=false --profiling=false "${GATES[@]}" --v=1
start coredns "$COREDNS_BIN_DIR/coredns" -conf "$CONF/Corefile"
start kube-proxy "$B/kube-proxy" --config="$CONF/kube-proxy.yaml" "${GATES[@]}" --v=1
start local-path-provisioner "$LOCAL_PATH_BIN_DIR/local-path-provisioner" --debug start \
  --kubeconfig "$D/local-path.kubeconfig" --namespace local-path-storage --configmap-name local-path-config \
  --service-account-name local-path-provisioner-service-account --provisioner-name rancher.io/local-path \
  --helper-image "$STS_LAB_IMAGE"
for k in $(seq 1 "$NODES"); do node_vars "$k"; start_kubelet; done

wait_for kube-controller-manager "kube-controller-manager healthy" curl -fsSk --max-time 2 https://127.0.0.1:10257/healthz
wait_for kube-scheduler "kube-scheduler healthy" curl -fsSk --max-time 2 https://127.0.0.1:10259/healthz
wait_for coredns "CoreDNS ready (synced with the API)" curl -fsS --max-time 2 http://127.0.0.1:18181/ready
wait_for kube-proxy "kube-proxy healthy (services programmed)" curl -fsS --max-time 2 http://127.0.0.1:10256/healthz
guard_first
for k in $(seq 1 "$NODES"); do node_vars "$k"; wait_for "kubelet$N_SUFFIX" "node $N_NAME Ready" node_ready "$N_NAME"; done
# the default ServiceAccount must exist before pods can be created in a new namespace
wait_for kube-controller-manager "service accounts controller running" kc -n sts-lab-limited get serviceaccount default

echo "$CONFIG_STAMP" >"$D/config-stamp"
log "cluster up in $(elapsed "$T_START")s: Kubernetes $K8S_VERSION, $NODES node(s) Ready ($(node_names | tr '\n' ' ')), state $D"
log "kubectl: $B/kubectl   image: $STS_LAB_IMAGE   limited kubeconfig: $LIMITED_KUBECONFIG"
echo "$ADMIN_KUBECONFIG"
