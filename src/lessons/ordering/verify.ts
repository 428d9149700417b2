// verify ordering: the pods as they are, and the creation order where the API's timestamps
// (whole seconds) can tell it; pods Ready and created within one second only a watch can order.
import { byOrdinal, podName } from '../../lab/names.ts';
import { readyVerdict, watchOnly } from '../../lab/now.ts';
import { labOrdinals, startOrdinal } from '../../lab/ordinals.ts';
import { policyOf } from '../../lab/manifests.ts';
import { readySince, toDate } from '../../lab/pods.ts';
import { verdict, type Verdict } from '../../lab/verdict.ts';
import type { Now } from '../lesson.ts';

export function orderingNow(now: Pick<Now, 'names' | 'sts' | 'pods'>): Verdict[] {
  const n = now.names;
  const ready = readyVerdict(n, now.sts, now.pods);
  if (policyOf(now.sts.spec) === 'Parallel')
    return [ready, verdict('N/A', 'Order not judged', ['podManagementPolicy is Parallel: no order is promised.'])];
  const pods = byOrdinal(n, now.pods);
  const ordinals = labOrdinals(now.sts).filter((i) => i > startOrdinal(now.sts));
  const pairs = ordinals.map((i) => {
    const created = toDate(pods.get(i)?.metadata?.creationTimestamp);
    const before = readySince(pods.get(i - 1) ?? {});
    // Whole seconds: only a later second proves "after".
    return { i, proved: Boolean(created && before && Math.floor(+created / 1000) > Math.floor(+before / 1000)) };
  });
  const unproved = pairs.filter((p) => !p.proved);
  if (ready.result !== 'PASS' || !pairs.length) return [ready];
  if (unproved.length)
    return [
      ready,
      watchOnly(
        'Creation order not provable from the objects',
        `${unproved.map((p) => podName(n, p.i)).join(', ')}: created in the same second the pod before turned Ready, or before it last did (a restart moves that time). The API's timestamps have whole seconds.`,
      ),
    ];
  return [
    ready,
    verdict('PASS', 'Created in order: each pod after the one before it was Ready', [
      ...pairs.map(
        (p) =>
          `${podName(n, p.i)} created a later second than ${podName(n, p.i - 1)} turned Ready (the API's timestamps)`,
      ),
    ]),
  ];
}
