#!/usr/bin/env bash
# A lab platform's check for one step of the StatefulSet lab (Killercoda-style: the step passes
# when this exits 0). Each step's verify script names its lesson, for example in index.json:
#   {"title": "Delete a pod", "text": "step3/text.md", "verify": "step3/verify.sh"}
# with step3/verify.sh:  exec bash /root/verify.sh identity
# kubectl sts-lab verify judges the lab as it is now (its objects, the pods' conditions, the
# journal write-data keeps, DNS from inside the cluster): exit 0 PASS (or N/A for what only a
# watch can see), 1 FAIL, with what is missing and the kubectl command to type.
#
#   verify.sh ordering|identity|storage|updates|retention|scaling|dns [sts-lab flags…]
set -u
if [ $# -lt 1 ]; then
  echo "usage: verify.sh LESSON [flags…]  (kubectl sts-lab verify --help lists the lessons)" >&2
  exit 2
fi
# The verdict lines go to stdout, for the learner when the platform shows them; the exit code
# is the answer either way.
exec kubectl sts-lab verify "$@"
