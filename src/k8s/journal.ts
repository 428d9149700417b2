// The in-cluster journal (ConfigMap sts-lab-journal): what write-data wrote, so that
// check-persistence can run from another terminal or another machine.
import type { V1ConfigMap } from '@kubernetes/client-node';
import { CliError } from '../errors.ts';
import { isManaged, MANAGED_BY_LABEL, MANAGED_BY_VALUE, type LabNames } from '../lab/names.ts';
import { JOURNAL_NAME, journalKey, parseJournal, type JournalEntry } from '../lab/persistence.ts';
import type { Kube } from './client.ts';
import { isConflict } from './errors.ts';
import { pathOf } from './paths.ts';

const journalPath = (namespace: string): string => pathOf('core', 'configmaps', namespace, JOURNAL_NAME);

export async function readJournal(kube: Kube, n: LabNames): Promise<JournalEntry[]> {
  const cm = await kube.find<V1ConfigMap>(journalPath(n.namespace));
  return parseJournal(cm?.data);
}

/** Records the entries; returns the journal as written. */
export async function recordInJournal(kube: Kube, n: LabNames, entries: JournalEntry[]): Promise<JournalEntry[]> {
  const namespace = n.namespace;
  const data = Object.fromEntries(entries.map((e) => [journalKey(e.pod), JSON.stringify(e)]));
  for (let attempt = 0; ; attempt++) {
    const current = await kube.find<V1ConfigMap>(journalPath(namespace));
    try {
      if (!current) {
        const body: V1ConfigMap = {
          metadata: { name: JOURNAL_NAME, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, app: n.statefulSet } },
          data,
        };
        return parseJournal((await kube.post<V1ConfigMap>(pathOf('core', 'configmaps', namespace), body)).data);
      } else {
        if (!isManaged(current.metadata?.labels)) {
          throw new CliError(`configmap "${JOURNAL_NAME}" in namespace "${namespace}" was not created by sts-lab; sts-lab will not write to it`);
        }
        const body: V1ConfigMap = { ...current, data: { ...current.data, ...data } };
        return parseJournal((await kube.put<V1ConfigMap>(journalPath(namespace), body)).data);
      }
    } catch (err) {
      // Someone else wrote in between (another write-data): read again and merge.
      if (!isConflict(err) || attempt >= 3) throw err;
    }
  }
}
