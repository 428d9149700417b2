// The ordering lesson in the tour: delete the pods and watch them come back 0, 1, 2.
import type { Verdict } from '../../lab/verdict.ts';
import { verdictOutcome, type StepFactory } from '../../tour/scope.ts';
import watchOrder from './watch-order.ts';

export interface OrderingEvidence {
  order?: {
    verdict: Verdict<unknown>;
    timeline: { pod: string; ordinal: number; afterPreviousReadyMs: number | null }[];
  };
}

export const observe: StepFactory<OrderingEvidence> = (s) => ({
  title: 'Observe ordered creation: delete the pods and watch them come back 0, 1, 2',
  run: async () => {
    const r = (s.evidence.order = await s.call(watchOrder, { names: s.names, restart: true }));
    return verdictOutcome(
      r.verdict,
      'The StatefulSet controller (in kube-controller-manager) creates pod N+1 only once pod N is Running and Ready: OrderedReady.',
    );
  },
});
