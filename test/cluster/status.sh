#!/usr/bin/env bash
# Report the state of the sts-lab local cluster.
#   test/cluster/status.sh [--quiet]
# Exit 0 if every component runs, the apiserver is ready and every node is Ready; 1 otherwise.
# A node that node.sh stopped on purpose is reported as such and does not count as unhealthy:
# up.sh then leaves the cluster running instead of tearing a node-failure test down.
set -uo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
QUIET=""
[ "${1:-}" = "--quiet" ] && QUIET=1
say() { [ -n "$QUIET" ] || echo "$@"; }
ok=1

if [ ! -d "$RUN" ] || [ -z "$(ls -A "$RUN" 2>/dev/null)" ]; then
  say "sts-lab cluster: not running (no recorded processes in $RUN)"
  exit 1
fi
stopped_on_purpose() { # component: belongs to a node node.sh stopped
  local k=${1##*@}; [ "$k" = "$1" ] && k=1
  case "$1" in kubelet*|containerd*) node_vars "$k"; [ -e "$RUN/$N_NAME.stopped" ] ;; *) return 1 ;; esac
}
for c in $COMPONENTS; do
  if pid=$(component_pid "$c"); then
    say "$(printf '  %-24s running  pid %-7s rss %s MiB' "$c" "$pid" "$(awk '/VmRSS/{printf "%d", $2/1024}' /proc/"$pid"/status 2>/dev/null)")"
  elif stopped_on_purpose "$c"; then
    say "$(printf '  %-24s stopped on purpose (node.sh)' "$c")"
  else
    say "$(printf '  %-24s NOT running' "$c")"; ok=0
  fi
done
if [ -r "$PKI/admin.key" ] && curl -fsS --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
     "https://127.0.0.1:$APISERVER_PORT/readyz" >/dev/null 2>&1; then
  say "  apiserver /readyz         ok (https://127.0.0.1:$APISERVER_PORT)"
else
  say "  apiserver /readyz         FAILING"; ok=0
fi
if [ "$ok" = 1 ]; then
  ready=$(timeout 10 "$K8S_BIN_DIR/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" --request-timeout=5s get nodes \
        -o 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null)
  for n in $(node_names); do
    st=$(echo "$ready" | awk -F= -v n="$n" '$1==n {print $2}')
    if [ "$st" = True ]; then say "$(printf '  node %-20s Ready' "$n")"
    elif [ -e "$RUN/$n.stopped" ]; then say "$(printf '  node %-20s %s, stopped on purpose (node.sh %s start)' "$n" "${st:-unknown}" "$n")"
    else say "$(printf '  node %-20s NOT Ready (%s)' "$n" "${st:-unknown}")"; ok=0; fi
  done
  if curl -fsS --max-time 2 http://127.0.0.1:18181/ready >/dev/null 2>&1; then say "  coredns ready             ok ($CLUSTER_DNS_IP:53)"
  else say "  coredns ready             FAILING"; ok=0; fi
fi
if [ "$ok" = 1 ]; then
  say "sts-lab cluster: healthy (state $D)"
  say "  KUBECONFIG=$ADMIN_KUBECONFIG"
  exit 0
fi
say "sts-lab cluster: NOT healthy (logs in $LOGS; restart with: $CLUSTER_SRC_DIR/down.sh && $CLUSTER_SRC_DIR/up.sh)"
exit 1
