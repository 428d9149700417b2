// verify updates: the revision each pod runs, against the partition and the StatefulSet's
// current and update revisions (the pods' controller-revision-hash labels).
import { byOrdinal, podName } from '../../lab/names.ts';
import { labOrdinals, startOrdinal } from '../../lab/ordinals.ts';
import { isReady, revisionOf } from '../../lab/pods.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';
import { firstMoving } from './rollout.ts';
import type { Now } from '../lesson.ts';

export function revisionsNow(now: Pick<Now, 'names' | 'sts' | 'pods'>): Verdict {
  const n = now.names;
  const { currentRevision: current, updateRevision: update } = now.sts.status ?? {};
  const pods = byOrdinal(n, now.pods);
  const ordinals = labOrdinals(now.sts);
  const runs = (i: number) => revisionOf(pods.get(i) ?? {}) ?? '<no pod>';
  const perPod = ordinals.map((i) => `${podName(n, i)}: ${runs(i)}${isReady(pods.get(i) ?? {}) ? '' : ' (not Ready)'}`);
  if (now.sts.spec?.updateStrategy?.type === 'OnDelete')
    return verdict('N/A', 'OnDelete: a pod takes the new revision only when it is deleted', [
      `update revision ${update}, current ${current}; ${perPod.join(', ')}`,
    ]);
  const partition = now.sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  const from = firstMoving({ start: startOrdinal(now.sts), partition });
  const expected = (i: number) => (i >= from ? update : current);
  const wrong = ordinals.filter((i) => runs(i) !== expected(i) || !isReady(pods.get(i) ?? {}));
  const above = ordinals.filter((i) => i >= from).map((i) => podName(n, i));
  const below = ordinals.filter((i) => i < from).map((i) => podName(n, i));
  return verdict(
    passIf(!wrong.length),
    wrong.length
      ? `Revisions do not follow partition ${partition}`
      : `Partition ${partition} held: ${above.join(', ') || 'no pod'} on update revision ${update}${below.length ? `; ${below.join(', ')} on current revision ${current}` : ''}`,
    [
      'At or above the partition a pod runs the update revision; below it, the current one (a pod deleted there comes back on it).',
      ...wrong.map((i) =>
        runs(i) === expected(i)
          ? `${podName(n, i)}: on ${runs(i)} as expected, but not Ready`
          : `${podName(n, i)}: on ${runs(i)}, expected ${expected(i)}`,
      ),
    ],
  );
}
