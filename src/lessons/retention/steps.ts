// The retention lesson in the tour: whenDeleted: Delete set before the teardown, which then proves it.
import { CliError } from '../../errors.ts';
import setup from '../../commands/setup.ts';
import type { Verdict } from '../../lab/verdict.ts';
import type { StepFactory } from '../../tour/scope.ts';
import { shiftedSettings } from '../start-ordinal/steps.ts';

export interface RetentionEvidence {
  /** Kept by the teardown step (the cleanup lesson). */
  teardown?: { claimsByController?: { verdict: Verdict<unknown>; claims: { pvc: string }[] } | null };
}

export const deleteWithStatefulSet: StepFactory<RetentionEvidence> = (s) => ({
  title: "Set the claims' retention to whenDeleted: Delete, for the teardown to show",
  run: async () => {
    const r = await s.call(setup, {
      settings: { ...shiftedSettings(s), retention: { whenScaled: 'Retain', whenDeleted: 'Delete' } },
      dryRun: false,
    });
    if (!('pods' in r)) throw new CliError('setup made a dry run');
    return {
      result: 'PASS',
      notes: [
        'The StatefulSet controller now marks each claim as owned by the StatefulSet: deleting the StatefulSet will delete them.',
      ],
    };
  },
});
