// The orphan lesson in the tour: the StatefulSet deleted but not its pods, one orphan deleted
// (nothing re-creates it), a new StatefulSet adopting the rest, and the data through it.
import { CliError } from '../../errors.ts';
import setup from '../../commands/setup.ts';
import { podName } from '../../lab/names.ts';
import type { Verdict } from '../../lab/verdict.ts';
import { tourSettings, verdictOutcome, type StepFactory } from '../../tour/scope.ts';
import checkPersistence from '../storage/check-persistence.ts';
import orphan from './orphan.ts';

/** The orphan the part deletes. */
const ORPHAN_DELETED = 2;

export interface OrphanEvidence {
  lifecycle?: {
    orphan?: {
      verdict: Verdict<unknown>;
      pods: { pod: string; uidBefore: string }[];
      deletedPod: { pod: string } | null;
    };
    adopted?: { pod: string; uid: string; owner: string | null }[];
    persist?: { verdict: Verdict<unknown> };
  };
}

export const orphanPods: StepFactory<OrphanEvidence> = (s) => ({
  title: `Delete the StatefulSet but not its pods (propagationPolicy Orphan), then delete ${podName(s.names, ORPHAN_DELETED)}`,
  run: async () => {
    const r = ((s.evidence.lifecycle ??= {}).orphan = await s.call(orphan, {
      names: s.names,
      deletePod: ORPHAN_DELETED,
    }));
    return verdictOutcome(
      r.verdict,
      'Without an owner, nothing replaces a pod that goes: the identity guarantees come from the StatefulSet, not from the pods.',
    );
  },
});

export const adopt: StepFactory<OrphanEvidence> = (s) => ({
  title: 'Create the StatefulSet again: it adopts the orphans',
  run: async () => {
    const r = await s.call(setup, { settings: tourSettings(s), dryRun: false });
    if (!('pods' in r)) throw new CliError('setup made a dry run');
    (s.evidence.lifecycle ??= {}).adopted = r.adopted;
    const adopted = r.adopted.filter((a) => a.owner);
    return {
      result: adopted.length === r.adopted.length && adopted.length > 0 ? 'PASS' : 'FAIL',
      notes: [
        `Adopted ${adopted.map((a) => a.pod).join(', ') || 'nothing'} with their UIDs; ${podName(s.names, ORPHAN_DELETED)} was re-created on its old claim.`,
        'The controller adopts pods that match its selector and have no controller.',
      ],
    };
  },
});

export const verifyAdopted: StepFactory<OrphanEvidence> = (s) => ({
  title: 'Verify the data survived the orphaning and the adoption',
  run: async () => {
    const r = ((s.evidence.lifecycle ??= {}).persist = await s.call(checkPersistence, {
      names: s.names,
      ordinals: [],
    }));
    return verdictOutcome(r.verdict);
  },
});
