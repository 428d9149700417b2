// The in-cluster journal (ConfigMap sts-lab-journal): what write-data wrote, so that
// check-persistence can run from another terminal or another machine.
import type { V1ConfigMap } from '@kubernetes/client-node';
import { CliError } from '../errors.ts';
import { isManaged, MANAGED_BY_LABEL, MANAGED_BY_VALUE, type LabNames } from '../lab/names.ts';
import { JOURNAL_NAME, journalKey, parseJournal, type JournalEntry } from '../lessons/storage/judge.ts';
import type { Cluster } from './cluster.ts';
import { isConflict } from './errors.ts';
import { pathOf } from './paths.ts';

const journalPath = (namespace: string): string => pathOf('core', 'configmaps', namespace, JOURNAL_NAME);

export async function readJournal(kube: Cluster, n: LabNames): Promise<JournalEntry[]> {
  const cm = await kube.find<V1ConfigMap>(journalPath(n.namespace));
  return parseJournal(cm?.data);
}

/**
 * Records the entries; returns the journal as written. A create is tried first: on a lab's first
 * write-data that is the only request; an existing journal is read and merged into.
 */
export async function recordInJournal(kube: Cluster, n: LabNames, entries: JournalEntry[]): Promise<JournalEntry[]> {
  const namespace = n.namespace;
  const data = Object.fromEntries(entries.map((e) => [journalKey(e.pod), JSON.stringify(e)]));
  const fresh: V1ConfigMap = {
    metadata: { name: JOURNAL_NAME, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, app: n.statefulSet } },
    data,
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const current = attempt === 0 ? undefined : await kube.find<V1ConfigMap>(journalPath(namespace));
      if (!current)
        return parseJournal((await kube.post<V1ConfigMap>(pathOf('core', 'configmaps', namespace), fresh)).data);
      if (!isManaged(current.metadata?.labels)) {
        throw new CliError(
          `configmap "${JOURNAL_NAME}" in namespace "${namespace}" was not created by sts-lab; sts-lab will not write to it`,
        );
      }
      return parseJournal(
        (await kube.put<V1ConfigMap>(journalPath(namespace), { ...current, data: { ...current.data, ...data } })).data,
      );
    } catch (err) {
      // It exists (the first attempt), or someone else wrote in between (another write-data): read again and merge.
      if (!isConflict(err) || attempt >= 3) throw err;
    }
  }
}
