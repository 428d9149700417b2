# Shared settings for the sts-lab local cluster scripts. Sourced, not executed.
# shellcheck shell=bash
CLUSTER_SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The Kubernetes version the cluster runs: the proxy serves these, each built from its
# minor's wrapper module in k8s/v1.MINOR (gen-module.sh writes one).
K8S_VERSIONS="v1.34.4 v1.35.4 v1.36.3 v1.37.2"
K8S_VERSION="${STS_LAB_K8S_VERSION:-v1.37.2}"
case " $K8S_VERSIONS " in *" $K8S_VERSION "*) ;; *)
  printf '[sts-lab] ERROR: STS_LAB_K8S_VERSION=%s is not one of: %s\n' "$K8S_VERSION" "$K8S_VERSIONS" >&2; exit 2 ;;
esac
K8S_MINOR=${K8S_VERSION#v1.}; K8S_MINOR=${K8S_MINOR%%.*}
K8S_MODULE_DIR="$CLUSTER_SRC_DIR/k8s/v1.$K8S_MINOR"
COREDNS_VERSION=v1.15.0
ETCD_VERSION=v3.7.3
LOCAL_PATH_VERSION=v0.0.30
STS_LAB_CACHE="${STS_LAB_CACHE:-${HOME:-/root}/.cache/sts-lab}"
STS_LAB_CLUSTER_DIR="${STS_LAB_CLUSTER_DIR:-/var/lib/sts-lab/cluster}"
K8S_BIN_DIR="$STS_LAB_CACHE/k8s-$K8S_VERSION/bin"
COREDNS_BIN_DIR="$STS_LAB_CACHE/coredns-$COREDNS_VERSION/bin"
ETCD_BIN_DIR="$STS_LAB_CACHE/etcd-$ETCD_VERSION/bin"
LOCAL_PATH_BIN_DIR="$STS_LAB_CACHE/local-path-$LOCAL_PATH_VERSION/bin"
IMAGE_CACHE_DIR="$STS_LAB_CACHE/images"
STS_LAB_IMAGE=localhost/sts-lab-nginx:1.0
PAUSE_IMAGE=localhost/pause:3.10
K8S_COMPONENTS="kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl"

POD_CIDR=10.244.0.0/16
SERVICE_CIDR=10.96.0.0/16
CLUSTER_DNS_IP=10.96.0.10
DNS_IFACE=sts-lab-dns
CNI_NETWORK=sts-lab
APISERVER_PORT=6443

log()  { printf '[sts-lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf '[sts-lab] ERROR: %s\n' "$*" >&2; exit 1; }
now()  { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

# Go environment for builds: the module proxy is the only reachable source; the
# checksum database (sum.golang.org) is not reachable, go.sum pins the hashes.
go_env() {
  export GOSUMDB=off GOFLAGS=-mod=readonly GOTOOLCHAIN=local
  export PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || die "go not found (expected /usr/local/go/bin/go)"
}

# ---- state dir layout -------------------------------------------------------
D="$STS_LAB_CLUSTER_DIR"
PKI="$D/pki"
CONF="$D/conf"
LOGS="$D/logs"
RUN="$D/run"              # <component>.pid files: "PID STARTTIME"
HOST_STATE="$D/host"      # what the host looked like before our first start
ADMIN_KUBECONFIG="$D/admin.kubeconfig"
LIMITED_KUBECONFIG="$D/limited.kubeconfig"
HOSTPATH_PV_DIR=/tmp/hostpath_pv   # fixed by the in-tree hostpath provisioner


require_root() {
  [ "$(id -u)" = 0 ] || die "must run as root (it starts containerd, the kubelet and changes iptables/network); try: sudo $CLUSTER_SRC_DIR/$(basename "$0")"
}

# field 22 of /proc/PID/stat (the comm field has no spaces for our binaries)
proc_starttime() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }
proc_alive() { # pid: exists and is not a zombie
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# prints the recorded pid if that exact process (pid + start time) is still alive
component_pid() {
  local f="$RUN/$1.pid" pid st
  [ -s "$f" ] || return 1
  read -r pid st < "$f" || return 1
  [ -n "$pid" ] && proc_alive "$pid" || return 1
  [ "$(proc_starttime "$pid")" = "$st" ] || return 1
  echo "$pid"
}

record_pid() { # name pid
  mkdir -p "$RUN"
  echo "$2 $(proc_starttime "$2")" > "$RUN/$1.pid"
}

kc() { "$K8S_BIN_DIR/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" --request-timeout=10s "$@"; }

node_name() {
  # the kubelet registers under the hostname; the apiserver reaches it by that
  # name, so it must resolve to loopback. Otherwise fall back to "localhost".
  local h; h=$(hostname | tr 'A-Z' 'a-z')
  if [[ "$h" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] && getent ahostsv4 "$h" 2>/dev/null | awk '{print $1; exit}' | grep -q '^127\.'; then
    echo "$h"
  else
    echo localhost
  fi
}

# interfaces that carry an IPv4 default route (the machine's way out)
external_ifaces() { ip -4 route show default 2>/dev/null | awk '{for(i=1;i<NF;i++) if($i=="dev") print $(i+1)}' | sort -u; }

# guard rules: nothing from the pod / service network may leave the machine
guard_rules() { # prints "CHAIN rule-args" lines
  local c="-m comment --comment sts-lab-guard"
  local i
  # pods reach pods on other nodes through the host's routing between the node bridges
  echo "FORWARD -s $POD_CIDR ! -o stslab+ $c -j DROP"
  for i in $(external_ifaces); do
    echo "FORWARD -s $POD_CIDR -o $i $c -j DROP"
    echo "FORWARD -d $SERVICE_CIDR -o $i $c -j DROP"
    echo "OUTPUT -d $SERVICE_CIDR -o $i $c -j DROP"
    echo "OUTPUT -d $POD_CIDR -o $i $c -j DROP"
    echo "OUTPUT -s $SERVICE_CIDR -o $i $c -j DROP"
    echo "OUTPUT -s $POD_CIDR -o $i $c -j DROP"
  done
}

tail_log() { # component [lines]
  local f="$LOGS/$1.log"
  if [ -f "$f" ]; then
    echo "----- last ${2:-20} lines of $f -----" >&2
    tail -n "${2:-20}" "$f" >&2
    echo "-----" >&2
  fi
}

SYSCTLS="net.bridge.bridge-nf-call-iptables net.ipv4.conf.all.route_localnet kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.ip_forward"

# ---- nodes ----------------------------------------------------------------------
# Each node is its own containerd + kubelet on this host, with its own state, sockets, bridge,
# pod subnet, ports and cgroup root: a kubelet kills pods, containers and cgroups it does not
# know, so nodes share none of these. Node 1 keeps the single-node layout (STS_LAB_NODES=1).
NODES=${STS_LAB_NODES:-3}
[[ "$NODES" =~ ^[1-9]$ ]] || { printf '[sts-lab] ERROR: STS_LAB_NODES=%s: give a number of nodes from 1 to 9\n' "$NODES" >&2; exit 2; }
# node 1 is named after the hostname (looked up once); nodes 2.. are sts-lab-node-K
NODE1_NAME=$(node_name)
# node_vars K: sets the N_* variables of node K (1-based)
node_vars() {
  local k=$1 i=$(( $1 - 1 ))
  N_K=$k
  N_BRIDGE=stslab$i
  N_SUBNET=10.244.$i.0/24
  N_PORT=$(( 10250 + 100 * i ))
  N_HEALTHZ_PORT=$(( 10248 + 100 * i ))
  if [ "$k" = 1 ]; then
    N_NAME=$NODE1_NAME; N_SUFFIX=""; N_DIR=$D; N_RUN=/run/sts-lab; N_CGROUP_ROOT=/
  else
    N_NAME=sts-lab-node-$k; N_SUFFIX=@$k; N_DIR=$D/nodes/$k; N_RUN=/run/sts-lab/$k; N_CGROUP_ROOT=/sts-lab-$k
  fi
  # the kubelet's certificates and kubeconfig: kubelet.crt, kubelet-serving.crt, kubelet.kubeconfig for node 1, kubelet-K… for node K
  N_KUBELET=kubelet${N_SUFFIX/@/-}
  N_KUBELET_SERVING=kubelet-serving${N_SUFFIX/@/-}
  N_SOCK=$N_RUN/containerd/containerd.sock
  N_RUNC_ROOT=$N_RUN/runc
}
node_names() { local k; for k in $(seq 1 "$NODES"); do node_vars "$k"; echo "$N_NAME"; done; }
node_index() { # name -> K
  local k; for k in $(seq 1 "$NODES"); do node_vars "$k"; [ "$N_NAME" = "$1" ] && { echo "$k"; return 0; }; done; return 1
}
# start order; down.sh stops in reverse
components() {
  local k c="" kl=""
  for k in $(seq 1 "$NODES"); do node_vars "$k"; c="$c containerd$N_SUFFIX"; kl="$kl kubelet$N_SUFFIX"; done
  echo "${c# } etcd kube-apiserver kube-controller-manager kube-scheduler coredns kube-proxy local-path-provisioner$kl"
}
COMPONENTS=$(components)
