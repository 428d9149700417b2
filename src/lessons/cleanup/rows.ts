// The cleanup lesson's report rows: a cascading delete has no order, and nothing the lab made is left.
import type { RowSpec } from '../lesson.ts';
import { cleanupHeld, type CleanupEvidence } from './steps.ts';

export const rows: RowSpec<CleanupEvidence>[] = [
  {
    part: 'lifecycle',
    concept: 'Cascading delete order',
    outcome: () => 'Deleting the StatefulSet with its pods removes them all at once, in no order',
    needsTeardown: true,
    judge: ({ teardown: t }) =>
      t?.cascade ? { result: t.cascade.verdict.result, evidence: t.cascade.verdict.headline } : undefined,
  },
  {
    part: 'end',
    concept: 'Cleanup',
    outcome: () => 'Everything the lab created is gone, claims included',
    needsTeardown: true,
    judge: ({ teardown: t }) =>
      t && {
        result: cleanupHeld(t) ? 'PASS' : 'FAIL',
        evidence: `${t.removals.filter((x) => x.action === 'deleted').length} objects deleted; pods removed in order ${t.deletionOrder.join(', ')}`,
      },
  },
];
