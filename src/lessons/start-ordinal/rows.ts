// The start-ordinal lesson's report row: the pods in both ranges kept, the order counted from the new start.
import { combine, passIf } from '../../lab/verdict.ts';
import { TOUR_REPLICAS } from '../../tour/scope.ts';
import { podName } from '../../lab/names.ts';
import type { RowSpec } from '../lesson.ts';
import type { StartOrdinalEvidence } from './steps.ts';

export const rows: RowSpec<StartOrdinalEvidence>[] = [
  {
    part: 'lifecycle',
    concept: 'Start ordinal',
    outcome: (n) =>
      `With spec.ordinals.start 1 the pods are ${podName(n, 1)}..${TOUR_REPLICAS}: the pods in both ranges stay, and the order counts from 1`,
    judge: ({ lifecycle: l = {} }) => {
      if (!l.shift || !l.reordered) return undefined;
      const { before, after, verdict: v } = l.shift;
      if (v?.result === 'N/A') return { result: 'N/A', evidence: v.headline };
      const was = new Map(before.map((p) => [p.pod, p.uid]));
      const kept = after.filter((p) => was.has(p.pod));
      const keptSame = kept.length > 0 && kept.every((p) => was.get(p.pod) === p.uid);
      const added = after.filter((p) => !was.has(p.pod)).map((p) => p.pod);
      const removed = before.filter((b) => !after.some((p) => p.pod === b.pod)).map((b) => b.pod);
      const first = l.reordered.verdict.checks.find((c) => c.kind === 'create' && c.evidence === 'watch')?.ordinal;
      const firstPod = after.find((p) => p.ordinal === first)?.pod;
      return {
        result: combine(
          v?.result ?? 'FAIL',
          passIf(keptSame && added.length > 0 && removed.length > 0),
          l.reordered.verdict.result,
          passIf(first !== undefined && first === after[0]?.ordinal),
        ),
        evidence: `${kept.map((p) => p.pod).join(', ')} kept ${keptSame ? 'their UIDs' : 'NOT their UIDs'}, ${added.join(', ') || 'nothing'} created, ${removed.join(', ') || 'nothing'} removed; re-created in order, first ${firstPod ?? `ordinal ${first ?? 'none'}`}`,
      };
    },
  },
];
