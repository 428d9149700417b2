// check-persistence on a StatefulSet sts-lab did not make (the tutorial's web): write-data will
// not write into it, so the first run records what each pod's volume holds now (the tutorial's
// index.html, which the learner wrote with kubectl exec) in sts-lab's journal; the next compares.
import { CliError } from '../../errors.ts';
import type { Lab, V1StatefulSet } from '../../k8s/index.ts';
import { claimName, claimTemplate, podName, type LabNames } from '../../lab/names.ts';
import { isReady } from '../../lab/pods.ts';
import { sha256, type JournalEntry } from './judge.ts';

/** The tutorial's file: what its nginx serves, on the claim's mount. */
export const TUTORIAL_FILE = 'index.html';

/** Where the claim template is mounted in the pods' first container that mounts it. */
export function claimMountPath(n: LabNames, sts: V1StatefulSet): string {
  const mount = sts.spec?.template.spec?.containers
    .flatMap((c) => c.volumeMounts ?? [])
    .find((m) => m.name === claimTemplate(n));
  if (!mount)
    throw new CliError(`statefulset.apps/${n.statefulSet} mounts no volume of claim template "${claimTemplate(n)}"`);
  return mount.mountPath;
}

/** What the file holds now in each pod, as journal entries. */
export async function recordBaseline(lab: Lab, ordinals: number[], file: string): Promise<JournalEntry[]> {
  const n = lab.names;
  const entries = await Promise.all(
    ordinals.map(async (ordinal): Promise<JournalEntry> => {
      const pod = podName(n, ordinal);
      const [found, claim] = await Promise.all([lab.findPod(pod), lab.findClaim(claimName(n, ordinal))]);
      if (!found || !isReady(found))
        throw new CliError(
          `pod ${pod} is not Ready, so its volume cannot be read now`,
          'wait for it: kubectl get pods -w',
        );
      const r = await lab.exec(pod, ['cat', file], { timeoutMs: 60_000 });
      if (r.code !== 0)
        throw new CliError(
          `cannot read ${file} in pod ${pod}: ${r.stderr.toString().trim() || `exit code ${r.code}`}`,
          `write it first, as the tutorial does: kubectl -n ${n.namespace} exec ${pod} -- sh -c 'echo "$(hostname)" > ${file}'`,
        );
      return {
        pod,
        ordinal,
        file,
        bytes: r.stdout.length,
        sha256: sha256(r.stdout),
        podUid: found.metadata?.uid ?? '',
        pvc: claimName(n, ordinal),
        pvcUid: claim?.metadata?.uid ?? '',
        pv: claim?.spec?.volumeName ?? null,
        writtenAt: new Date().toISOString(),
      };
    }),
  );
  await lab.recordInJournal(entries);
  return entries;
}
