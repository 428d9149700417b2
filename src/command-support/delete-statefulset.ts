// Deleting the lab's StatefulSet, as the lab sends it or as the learner types it (tour --hands-on):
// the StatefulSet's watch shows it gone. Orphan leaves the pods; Background deletes them too.
import { perform, type TaskLine } from './hands-on.ts';
import type { RunContext } from './command.ts';
import type { Lab } from '../k8s/index.ts';

export async function deleteStatefulSet(
  lab: Lab,
  ctx: RunContext,
  t: TaskLine,
  policy: 'Orphan' | 'Background',
): Promise<void> {
  if (!ctx.handsOn) return lab.deleteStatefulSetWith(policy);
  const n = lab.names;
  const w = await lab.watchStatefulSet();
  try {
    await perform(ctx, t, {
      kubectl: `kubectl -n ${n.namespace} delete statefulset ${n.statefulSet}${policy === 'Orphan' ? ' --cascade=orphan' : ''}`,
      awaiting: `statefulset.apps/${n.statefulSet} deleted`,
      byLab: () => lab.deleteStatefulSetWith(policy),
      watch: w.list,
      seen: () => w.list.current().length === 0,
    });
  } finally {
    w.release();
  }
}
