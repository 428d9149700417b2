// The scaling lesson's report row, from the two scale commands' -o json data.
import { combine } from '../../lab/verdict.ts';
import type { RowSpec } from '../lesson.ts';
import type { ScalingEvidence } from './steps.ts';

export const rows: RowSpec<ScalingEvidence>[] = [
  {
    part: 'seed',
    concept: 'Ordered scaling',
    outcome: () => 'Up 3→5 one pod at a time in order; down 5→2 from the highest ordinal; claims kept',
    judge: ({ up, down }) =>
      up &&
      down && {
        result: combine(up.verdict.result, up.claimsVerdict.result, down.verdict.result, down.claimsVerdict.result),
        evidence: `created ${up.timeline.map((r) => r.pod).join(', ')}; deleted ${down.deletionOrder.join(', ')}; ${down.claims
          .filter((c) => c.expected === 'retained' && c.ok)
          .map((c) => c.pvc)
          .join(', ')} still Bound`,
      },
  },
];
