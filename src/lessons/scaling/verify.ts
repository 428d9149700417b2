// verify scaling: the pods are exactly the replicas, the claims a scale-down left are kept; the
// order pods went in leaves no object behind, so only a watch proves it.
import { readyVerdict, watchOnly } from '../../lab/now.ts';
import type { Verdict } from '../../lab/verdict.ts';
import { scaledClaimsNow } from '../retention/verify.ts';
import type { Now } from '../lesson.ts';

export const scalingNow = (now: Pick<Now, 'names' | 'sts' | 'pods' | 'claims'>): Verdict[] => [
  readyVerdict(now.names, now.sts, now.pods),
  scaledClaimsNow(now),
  watchOnly(
    'Scale order not provable from the objects',
    'A removed pod leaves no object to say when it went, and new pods can be created and Ready within one second.',
  ),
];
