// The ordering lesson's report row, from watch-order's -o json data alone.
import { formatDuration } from '../../lab/duration.ts';
import { podName } from '../../lab/names.ts';
import type { RowSpec } from '../lesson.ts';
import type { OrderingEvidence } from './steps.ts';

export const rows: RowSpec<OrderingEvidence>[] = [
  {
    part: 'seed',
    concept: 'Ordered deployment',
    outcome: () => 'Pods created in order: 0, then 1, then 2',
    judge: ({ order }, n) =>
      order && {
        result: order.verdict.result,
        evidence: order.timeline
          .flatMap((r) =>
            r.afterPreviousReadyMs === null
              ? []
              : [
                  `${r.pod} created ${formatDuration(r.afterPreviousReadyMs)} after ${podName(n, r.ordinal - 1)} was Ready`,
                ],
          )
          .join('; '),
      },
  },
];
