#!/usr/bin/env bash
# Print the paths a test harness needs, as shell assignments (no side effects):
#   eval "$(bash test/cluster/paths.sh)"
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
printf 'STS_LAB_KUBECONFIG=%q\n' "$ADMIN_KUBECONFIG"
printf 'STS_LAB_LIMITED_KUBECONFIG=%q\n' "$LIMITED_KUBECONFIG"
printf 'STS_LAB_KUBECTL_DIR=%q\n' "$K8S_BIN_DIR"
printf 'STS_LAB_IMAGE=%q\n' "$STS_LAB_IMAGE"
printf 'STS_LAB_CLUSTER_DIR=%q\n' "$D"
printf 'STS_LAB_LIMITED_NAMESPACE=%q\n' sts-lab-limited
printf 'STS_LAB_K8S_VERSION=%q\n' "$K8S_VERSION"
printf 'STS_LAB_NODES=%q\n' "$NODES"
printf 'STS_LAB_NODE_NAMES=%s\n' "$(node_names | paste -sd,)"
printf 'STS_LAB_FEATURE_GATES=%q\n' "${STS_LAB_FEATURE_GATES:-}"
