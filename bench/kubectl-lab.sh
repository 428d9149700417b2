#!/usr/bin/env bash
# The seed lab done with plain kubectl, as a careful user would: the same objects as
# `kubectl sts-lab setup` (its --dry-run output), kubectl wait / rollout status instead of
# sleeps, one exec per check. bench/api-requests.ts counts its API requests against the tour's.
# Usage: bench/kubectl-lab.sh NAMESPACE IMAGE   (kubectl and kubectl-sts_lab on PATH, KUBECONFIG set)
set -euo pipefail
ns=$1 image=$2
k() { kubectl -n "$ns" "$@"; }
sts=nginx-sts svc=nginx-headless
# Objects only: --dry-run never contacts the cluster.
kubectl sts-lab -n "$ns" setup --image "$image" --dry-run -o yaml | kubectl apply -f - >/dev/null
k rollout status "statefulset/$sts" --timeout=5m >/dev/null
k get pods -l "app=$sts" -o wide >/dev/null
for i in 0 1 2; do k exec "$sts-$i" -- hostname >/dev/null; done
for i in 0 1 2; do k exec "$sts-0" -- nslookup "$sts-$i.$svc.$ns.svc.cluster.local" >/dev/null; done
k exec "$sts-0" -- nslookup "$svc.$ns.svc.cluster.local" >/dev/null
for i in 0 1 2; do echo "written to $sts-$i" | k exec -i "$sts-$i" -- sh -c 'cat > /usr/share/nginx/html/sts-lab.txt'; done
k delete pod "$sts-1" --wait >/dev/null
k wait --for=condition=Ready "pod/$sts-1" --timeout=5m >/dev/null
for i in 0 1 2; do k exec "$sts-$i" -- cat /usr/share/nginx/html/sts-lab.txt >/dev/null; done
k scale "statefulset/$sts" --replicas=5 >/dev/null
k rollout status "statefulset/$sts" --timeout=5m >/dev/null
k get pvc >/dev/null
k scale "statefulset/$sts" --replicas=2 >/dev/null
k wait --for=delete "pod/$sts-4" "pod/$sts-3" "pod/$sts-2" --timeout=5m >/dev/null
k get pvc >/dev/null
k scale "statefulset/$sts" --replicas=0 >/dev/null
k wait --for=delete "pod/$sts-1" "pod/$sts-0" --timeout=5m >/dev/null
kubectl delete namespace "$ns" --wait >/dev/null
