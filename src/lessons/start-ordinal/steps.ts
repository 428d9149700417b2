// The start-ordinal lesson in the tour: the pods numbered from 1 (spec.ordinals.start), then
// re-created in order from there.
import { CliError } from '../../errors.ts';
import setup from '../../commands/setup.ts';
import status from '../../commands/status.ts';
import { podName } from '../../lab/names.ts';
import type { Verdict } from '../../lab/verdict.ts';
import { TOUR_REPLICAS, tourSettings, verdictOutcome, type StepFactory, type TourScope } from '../../tour/scope.ts';
import watchOrder from '../ordering/watch-order.ts';

/** The lesson's spec.ordinals.start: the common wish of numbering pods from 1. */
export const SHIFTED_START = 1;

export interface StartOrdinalEvidence {
  lifecycle?: {
    /** The pods before and after setup --start-ordinal, and that setup's verdict. */
    shift?: {
      before: { pod: string; uid: string | null }[];
      after: { ordinal: number; pod: string; uid: string | null }[];
      verdict: Verdict<unknown> | null;
    };
    /** watch-order --restart after the shift: its creation checks, in the order the API committed them. */
    reordered?: { verdict: Verdict<{ kind: string; ordinal: number; evidence: string }> };
  };
}

/** The tour's lab with its ordinals shifted. */
export const shiftedSettings = (s: TourScope<unknown>) => ({ ...tourSettings(s), startOrdinal: SHIFTED_START });

export const shift: StepFactory<StartOrdinalEvidence> = (s) => ({
  title: `Number the pods from ${SHIFTED_START} (spec.ordinals.start ${SHIFTED_START}): ${podName(s.names, SHIFTED_START)}..${SHIFTED_START + TOUR_REPLICAS - 1}`,
  run: async () => {
    const before = await s.call(status, { names: s.names });
    const r = await s.call(setup, { settings: shiftedSettings(s), dryRun: false });
    if (!('pods' in r) || !before.deployed) throw new CliError('setup made a dry run, or the lab was gone');
    (s.evidence.lifecycle ??= {}).shift = {
      before: before.pods.filter((p) => p.uid).map(({ pod, uid }) => ({ pod, uid })),
      after: r.pods,
      verdict: r.startOrdinal.verdict,
    };
    const v = r.startOrdinal.verdict;
    return {
      result: v?.result ?? 'FAIL',
      notes: [
        `${v?.result ?? 'FAIL'}: ${v?.headline ?? 'the server reports no start ordinal'}.`,
        'Pods in both ranges keep their identity; the controller creates the missing one first and removes the one left outside last.',
      ],
    };
  },
});

export const reorder: StepFactory<StartOrdinalEvidence> = (s) => ({
  title: `Re-create the pods: they come back in order from ${podName(s.names, SHIFTED_START)}`,
  run: async () => {
    const r = ((s.evidence.lifecycle ??= {}).reordered = await s.call(watchOrder, { names: s.names, restart: true }));
    return verdictOutcome(r.verdict, 'OrderedReady counts from the first ordinal: nothing waits for a pod below it.');
  },
});
