# Shared settings for the sts-lab local cluster scripts. Sourced, not executed.
# shellcheck shell=bash
CLUSTER_SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
K8S_VERSION=v1.34.4
COREDNS_VERSION=v1.15.0
STS_LAB_CACHE="${STS_LAB_CACHE:-${HOME:-/root}/.cache/sts-lab}"
STS_LAB_CLUSTER_DIR="${STS_LAB_CLUSTER_DIR:-/var/lib/sts-lab/cluster}"
K8S_BIN_DIR="$STS_LAB_CACHE/k8s-$K8S_VERSION/bin"
COREDNS_BIN_DIR="$STS_LAB_CACHE/coredns-$COREDNS_VERSION/bin"
IMAGE_CACHE_DIR="$STS_LAB_CACHE/images"
STS_LAB_IMAGE=localhost/sts-lab-nginx:1.0
PAUSE_IMAGE=localhost/pause:3.10
K8S_COMPONENTS="kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl"

POD_CIDR=10.244.0.0/16
NODE_POD_SUBNET=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
CLUSTER_DNS_IP=10.96.0.10
DNS_IFACE=sts-lab-dns
CNI_BRIDGE=stslab0
CNI_NETWORK=sts-lab
CNI_CONF=/etc/cni/net.d/10-sts-lab.conflist
CONTAINERD_SOCK=/run/sts-lab/containerd/containerd.sock
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
# start order; down.sh stops in reverse
COMPONENTS="containerd etcd kube-apiserver kube-controller-manager kube-scheduler coredns kubelet"

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
  echo "FORWARD -s $POD_CIDR ! -o $CNI_BRIDGE $c -j DROP"
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

SYSCTLS="kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.ip_forward"
