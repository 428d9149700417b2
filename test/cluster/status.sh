#!/usr/bin/env bash
# Report the state of the sts-lab local cluster.
#   test/cluster/status.sh [--quiet]
# Exit 0 if every component runs, the apiserver is ready and the node is Ready; 1 otherwise.
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
for c in $COMPONENTS; do
  if pid=$(component_pid "$c"); then
    say "$(printf '  %-24s running  pid %-7s rss %s MiB' "$c" "$pid" "$(awk '/VmRSS/{printf "%d", $2/1024}' /proc/"$pid"/status 2>/dev/null)")"
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
  NODE=$(node_name)
  st=$(timeout 10 "$K8S_BIN_DIR/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" --request-timeout=5s get node "$NODE" \
        -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)
  if [ "$st" = True ]; then say "  node $NODE                  Ready"; else say "  node $NODE                  NOT Ready (${st:-unknown})"; ok=0; fi
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
