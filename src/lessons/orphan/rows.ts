// The orphan lesson's report row: the pods ran on unowned, and the new StatefulSet adopted them as they were.
import { combine, passIf } from '../../lab/verdict.ts';
import type { RowSpec } from '../lesson.ts';
import type { OrphanEvidence } from './steps.ts';

export const rows: RowSpec<OrphanEvidence>[] = [
  {
    part: 'lifecycle',
    concept: 'Orphan and adopt',
    outcome: () =>
      'Deleted with propagationPolicy Orphan, the pods run on unowned; a new StatefulSet adopts them, data intact',
    judge: ({ lifecycle: l = {} }) => {
      const { orphan, adopted, persist } = l;
      if (!orphan || !adopted || !persist) return undefined;
      const kept = orphan.pods.filter((p) => p.pod !== orphan.deletedPod?.pod);
      const adoptedSame = kept.every((p) => adopted.some((a) => a.pod === p.pod && a.uid === p.uidBefore && a.owner));
      return {
        result: combine(orphan.verdict.result, passIf(kept.length > 0 && adoptedSame), persist.verdict.result),
        evidence: `orphaned ${kept.map((p) => p.pod).join(', ')}${orphan.deletedPod ? ` (${orphan.deletedPod.pod} deleted, not re-created)` : ''}; adopted with the same UIDs: ${adoptedSame ? 'yes' : 'no'}; data: ${persist.verdict.result}`,
      };
    },
  },
];
