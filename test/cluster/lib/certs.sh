#!/usr/bin/env bash
# Generate the cluster PKI and kubeconfigs once per state dir (missing files only).
# usage: certs.sh   (one kubelet client and serving certificate per node of STS_LAB_NODES)
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mkdir -p "$PKI"
chmod 700 "$PKI"
cd "$PKI"

if [ ! -s ca.crt ] || [ ! -s ca.key ]; then
  log "generating cluster CA in $PKI"
  openssl genrsa -out ca.key 2048 2>/dev/null
  openssl req -x509 -new -nodes -key ca.key -sha256 -days 3650 -subj "/CN=sts-lab-ca" -out ca.crt
fi
if [ ! -s front-proxy-ca.crt ]; then
  openssl genrsa -out front-proxy-ca.key 2048 2>/dev/null
  openssl req -x509 -new -nodes -key front-proxy-ca.key -sha256 -days 3650 -subj "/CN=sts-lab-front-proxy-ca" -out front-proxy-ca.crt
fi

mk() { # name CN O(or "") SANs(or "") [ca]
  local n=$1 cn=$2 o=$3 san=$4 ca=${5:-ca}
  [ -s "$n.crt" ] && [ -s "$n.key" ] && return 0
  local subj="/CN=$cn"
  [ -n "$o" ] && subj="/O=$o/CN=$cn"
  openssl genrsa -out "$n.key" 2048 2>/dev/null
  openssl req -new -key "$n.key" -subj "$subj" -out "$n.csr"
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [ -n "$san" ]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$san"
    else echo "extendedKeyUsage=clientAuth"; fi
  } > "$n.ext"
  openssl x509 -req -in "$n.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -days 3650 -sha256 -extfile "$n.ext" -out "$n.crt" 2>/dev/null
  rm -f "$n.csr" "$n.ext"
}

mk apiserver kube-apiserver "" "DNS:localhost,DNS:$(node_vars 1; echo "$N_NAME"),DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.96.0.1"
mk apiserver-kubelet-client kube-apiserver-kubelet-client system:masters ""
mk admin sts-lab-admin system:masters ""
mk limited sts-lab-limited "" ""
mk controller-manager system:kube-controller-manager "" ""
mk scheduler system:kube-scheduler "" ""
for k in $(seq 1 "$NODES"); do
  node_vars "$k"
  mk "$N_KUBELET" "system:node:$N_NAME" system:nodes ""
  mk "$N_KUBELET_SERVING" "$N_NAME" "" "DNS:$N_NAME,DNS:localhost,IP:127.0.0.1"
done
mk coredns sts-lab-coredns "" ""
mk kube-proxy system:kube-proxy "" ""
mk local-path sts-lab-local-path "" ""
mk front-proxy-client front-proxy-client "" "" front-proxy-ca
if [ ! -s sa.key ]; then
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
fi
chmod 600 ./*.key

kubeconfig() { # file user cert context-namespace
  local f=$1 u=$2 cert=$3 ns=${4:-}
  [ -s "$f" ] && return 0
  local tmp="$f.tmp"
  cat > "$tmp" <<KC
apiVersion: v1
kind: Config
clusters:
- name: sts-lab
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $PKI/ca.crt
users:
- name: $u
  user:
    client-certificate: $PKI/$cert.crt
    client-key: $PKI/$cert.key
contexts:
- name: $u@sts-lab
  context:
    cluster: sts-lab
    user: $u
KC
  [ -n "$ns" ] && echo "    namespace: $ns" >> "$tmp"
  echo "current-context: $u@sts-lab" >> "$tmp"
  chmod 600 "$tmp"
  mv -f "$tmp" "$f"
}
kubeconfig "$ADMIN_KUBECONFIG" sts-lab-admin admin
kubeconfig "$LIMITED_KUBECONFIG" sts-lab-limited limited sts-lab-limited
kubeconfig "$D/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
kubeconfig "$D/scheduler.kubeconfig" system:kube-scheduler scheduler
for k in $(seq 1 "$NODES"); do
  node_vars "$k"
  kubeconfig "$D/$N_KUBELET.kubeconfig" "system:node:$N_NAME" "$N_KUBELET"
done
kubeconfig "$D/coredns.kubeconfig" sts-lab-coredns coredns
kubeconfig "$D/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
kubeconfig "$D/local-path.kubeconfig" sts-lab-local-path local-path
