// The storage lesson's report rows: a claim per pod (setup's data), and bytes that outlived their pod.
import { TOUR_REPLICAS } from '../../tour/scope.ts';
import type { RowSpec } from '../lesson.ts';
import { tourClaimsHeld, type StorageEvidence } from './steps.ts';

export const rows: RowSpec<StorageEvidence>[] = [
  {
    part: 'seed',
    concept: 'PVC per pod',
    outcome: () => 'Each pod gets its own claim and volume',
    judge: ({ setupPods }) => {
      const pods = setupPods?.filter((p) => p.ordinal < TOUR_REPLICAS);
      return (
        pods && {
          result: tourClaimsHeld(pods) ? 'PASS' : 'FAIL',
          evidence: pods.map((p) => `${p.pvc} ${p.pvcStatus ?? 'missing'} → ${p.pv ?? 'no volume'}`).join('; '),
        }
      );
    },
  },
  {
    part: 'seed',
    concept: 'Stable storage',
    outcome: () => 'Data persists after pod deletion',
    judge: ({ persist }) =>
      persist && {
        result: persist.verdict.result,
        evidence: persist.pods
          .map((p) => `${p.pod}${p.podRecreated ? ' (new pod)' : ''}: ${p.contentMatch ? 'same bytes' : p.reason}`)
          .join('; '),
      },
  },
];
