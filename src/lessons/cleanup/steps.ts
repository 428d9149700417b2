// The cleanup lesson in the tour: everything the lab made removed, claims included; after the
// lifecycle part with a cascading delete, which removes the pods in no order.
import { keptOwn, type Removal } from '../../lab/removal.ts';
import { passIf, type Verdict } from '../../lab/verdict.ts';
import type { StepFactory, TourScope, TourStep } from '../../tour/scope.ts';
import teardown from './teardown.ts';

export interface CleanupEvidence {
  teardown?: { removals: Removal[]; deletionOrder: string[]; cascade?: { verdict: Verdict<unknown> } | null };
}

/** Cleanup fails when something the lab made was kept (what sts-lab did not make is never deleted). */
export const cleanupHeld = (t: { removals: Removal[] }): boolean => !t.removals.some(keptOwn);

const tearDown = (s: TourScope<CleanupEvidence>, cascade: boolean): TourStep => ({
  title: cascade
    ? 'Tear everything down with a cascading delete, claims included'
    : 'Tear everything down, claims included',
  run: async () => {
    const r = (s.evidence.teardown = await s.call(teardown, {
      names: s.names,
      keepPvcs: false,
      keepNamespace: false,
      noScaleDown: cascade,
    }));
    return {
      result: passIf(cleanupHeld(r)),
      notes: [
        `Removed: ${r.removals
          .filter((x) => x.action === 'deleted')
          .map((x) => x.resource)
          .join(', ')}.`,
      ],
    };
  },
});

export const scaleDownAndDelete: StepFactory<CleanupEvidence> = (s) => tearDown(s, false);
/** The lifecycle part's lesson: the StatefulSet deleted with its pods at once instead of scaling to 0 first. */
export const cascadingDelete: StepFactory<CleanupEvidence> = (s) => tearDown(s, true);
