// The retention lesson's report row: the claims went with the StatefulSet, deleted by the garbage collector.
import type { RowSpec } from '../lesson.ts';
import type { RetentionEvidence } from './steps.ts';

export const rows: RowSpec<RetentionEvidence>[] = [
  {
    part: 'lifecycle',
    concept: 'Claims deleted by the controller',
    outcome: () => 'With whenDeleted: Delete the garbage collector deletes the claims through their ownerReference',
    needsTeardown: true,
    judge: ({ teardown: t }) =>
      t?.claimsByController
        ? { result: t.claimsByController.verdict.result, evidence: t.claimsByController.verdict.headline }
        : undefined,
  },
];
