// The updates lesson in the tour: a canary and a phased roll-out with partitions, a full rolling
// update, a broken template and its forced rollback, OnDelete, and the data through all of it.
import { podName } from '../../lab/names.ts';
import { passIf } from '../../lab/verdict.ts';
import checkPersistence from '../storage/check-persistence.ts';
import killPod from '../identity/kill-pod.ts';
import rollback from './rollback.ts';
import { replacedInOrder, type Rolled, type UpdatesEvidence } from './rows.ts';
import update, { type UpdateOptions } from './update.ts';
import type { DataOf } from '../../command-support/command.ts';
import { verdictOutcome, type StepFactory, type TourScope, type TourStep } from '../../tour/scope.ts';

const CANARY_PARTITION = 2;
const BELOW_PARTITION = 1;
const ON_DELETE_KILLED = 2;

export interface UpdatesLessonEvidence {
  updates?: UpdatesEvidence;
}

/** A step of the part: the lab's names, the part's evidence, and an update with the tour's defaults. */
const step =
  (
    make: (c: {
      s: TourScope<UpdatesLessonEvidence>;
      n: TourScope['names'];
      u: UpdatesEvidence;
      roll: (o: Partial<UpdateOptions>) => Promise<DataOf<typeof update>>;
    }) => TourStep,
  ): StepFactory<UpdatesLessonEvidence> =>
  (s) =>
    make({
      s,
      n: s.names,
      u: (s.evidence.updates ??= {}),
      roll: (o) => s.call(update, { names: s.names, partition: 0, breakReadiness: false, ...o }),
    });

const moved = (r: Rolled) => replacedInOrder(r).join(', ') || 'no pod';

export const canary = step(({ u, roll }) => ({
  title: `A canary: update with partition ${CANARY_PARTITION}`,
  run: async () => {
    const r = (u.canary = await roll({ partition: CANARY_PARTITION }));
    return verdictOutcome(
      r.verdict,
      `Only ordinals at or above the partition take the new revision ${r.updateRevision}: ${moved(r)} is the canary, the rest keep ${r.currentRevision}.`,
    );
  },
}));

export const belowPartition = step(({ s, n, u }) => ({
  title: `Delete ${podName(n, BELOW_PARTITION)}, below the partition: which revision does it come back on?`,
  run: async () => {
    const r = (u.belowPartitionKill = await s.call(killPod, { names: n, ordinal: BELOW_PARTITION, force: false }));
    const revision = r.comparison.find((c) => c.field.startsWith('revision'));
    return {
      result: r.verdict.result,
      notes: [
        `${r.verdict.result}: ${podName(n, BELOW_PARTITION)} came back on ${revision?.after} (${revision?.expected}).`,
        'Below the partition the controller re-creates a pod from the current revision, not the new one: a canary stays a canary.',
      ],
    };
  },
}));

export const phased = step(({ u, roll }) => ({
  title: 'A phased roll-out: lower the partition to 0',
  run: async () => {
    const r = (u.phased = await roll({}));
    return verdictOutcome(
      r.verdict,
      'Lowering the partition continues the same revision: only the newly included ordinals move, highest first.',
    );
  },
}));

export const full = step(({ u, roll }) => ({
  title: 'A full rolling update',
  run: async () => {
    const r = (u.full = await roll({}));
    return verdictOutcome(
      r.verdict,
      'Each old pod was gone before its replacement appeared, and each replacement was Ready before the next lower pod was touched.',
    );
  },
}));

export const broken = step(({ u, roll }) => ({
  title: 'A broken update: a readiness probe that never passes',
  run: async () => {
    const r = (u.broken = await roll({ breakReadiness: true }));
    const asTaught = Boolean(r.stalled) && r.verdict.checks.every((c) => c.ok);
    return {
      result: passIf(asTaught),
      notes: [
        `The update failed, as it should: ${r.verdict.headline}.`,
        ...r.verdict.why.slice(2, 3),
        'The controller waits for the pod it replaced to be Ready; it replaces nothing below it meanwhile.',
      ],
    };
  },
}));

export const rollBack = step(({ s, n, u }) => ({
  title: 'Roll back, watch what the controller does, and delete the stuck pod',
  run: async () => {
    const r = (u.rollback = await s.call(rollback, { names: n, deleteStuck: true }));
    return verdictOutcome(
      r.verdict,
      r.stuck.length
        ? `Restoring the template was not enough on this cluster: ${r.stuck.join(', ')} stayed on the broken revision (nothing moved for ${r.windowMs / 1000}s) until sts-lab deleted it.`
        : 'On this cluster the controller replaced the broken pod by itself once the template was restored.',
      ...r.verdict.why.slice(1, 2), // what to expect on this version and policy, and whether this cluster did
    );
  },
}));

export const onDelete = step(({ u, roll }) => ({
  title: 'Update an OnDelete StatefulSet: nothing should move',
  run: async () => {
    const r = (u.onDelete = await roll({}));
    return verdictOutcome(r.verdict, "OnDelete leaves the moment of each pod's update to you (or to an operator).");
  },
}));

export const onDeleteKill = step(({ s, n, u }) => ({
  title: `Delete ${podName(n, ON_DELETE_KILLED)}: it comes back on the new revision`,
  run: async () => {
    const r = (u.onDeleteKill = await s.call(killPod, { names: n, ordinal: ON_DELETE_KILLED, force: false }));
    const revision = r.comparison.find((c) => c.field.startsWith('revision'));
    return {
      result: r.verdict.result,
      notes: [
        `${r.verdict.result}: ${podName(n, ON_DELETE_KILLED)} came back on ${revision?.after} (${revision?.expected}), with the same name, claim and volume.`,
      ],
    };
  },
}));

export const persist = step(({ s, n, u }) => ({
  title: 'Verify the data survived every update and the rollback',
  run: async () => {
    const r = (u.persist = await s.call(checkPersistence, { names: n, ordinals: [] }));
    return verdictOutcome(
      r.verdict,
      "An update replaces pods, never claims: every new pod mounted its ordinal's volume again.",
    );
  },
}));
