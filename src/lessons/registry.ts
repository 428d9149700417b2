// The registry: every lesson once. It feeds the CLI's commands (and completion's argument kinds,
// which each command declares), the tour's plans and the lab report's rows. A new lesson is a
// folder under src/lessons/ and one line in LESSONS (docs/adding-a-lesson.md).
import type { Registered } from '../command-support/command.ts';
import type { StepFactory, TourPart } from '../tour/scope.ts';
import cleanup from './cleanup/index.ts';
import dns from './dns/index.ts';
import identity from './identity/index.ts';
import nodes from './nodes/index.ts';
import type { EvidenceOf, Lesson } from './lesson.ts';
import ordering from './ordering/index.ts';
import orphan from './orphan/index.ts';
import readiness from './readiness/index.ts';
import retention from './retention/index.ts';
import scaling from './scaling/index.ts';
import smoke from './smoke/index.ts';
import startOrdinal from './start-ordinal/index.ts';
import storage from './storage/index.ts';
import updates from './updates/index.ts';

/** In the order a learner meets them; the report's rows follow it within each part. */
export const LESSONS = [
  ordering,
  identity,
  dns,
  storage,
  scaling,
  updates,
  readiness,
  orphan,
  startOrdinal,
  nodes,
  smoke,
  cleanup,
  retention,
] as const;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** What a whole tour keeps: every lesson's evidence. */
export type TourEvidence = UnionToIntersection<EvidenceOf<(typeof LESSONS)[number]>>;

/** The lessons, as the report reads them (each judges the whole evidence by its own part of it). */
export const REPORTED: readonly Lesson<TourEvidence>[] =
  LESSONS as readonly Lesson<never>[] as readonly Lesson<TourEvidence>[];

/** The lessons' commands, lesson by lesson (cli.ts puts the lab's own around them). */
export const LESSON_COMMANDS: Registered[] = LESSONS.flatMap((l) => l.commands);

/** Each part of the tour, step by step; the teardown closes the tour unless --keep. */
export const TOUR_PLANS: Record<TourPart, StepFactory<TourEvidence>[]> = {
  seed: [
    storage.steps.setUp,
    ordering.steps.observe,
    identity.steps.hostnames,
    dns.steps.resolve,
    storage.steps.write,
    identity.steps.kill,
    storage.steps.verify,
    scaling.steps.up,
    scaling.steps.down,
  ],
  updates: [
    storage.steps.setUp,
    storage.steps.write,
    updates.steps.canary,
    updates.steps.belowPartition,
    updates.steps.phased,
    updates.steps.full,
    updates.steps.broken,
    updates.steps.rollBack,
    storage.steps.switchToOnDelete,
    updates.steps.onDelete,
    updates.steps.onDeleteKill,
    updates.steps.persist,
  ],
  lifecycle: [
    storage.steps.setUp,
    storage.steps.write,
    readiness.steps.makeUnready,
    readiness.steps.resolveWhileUnready,
    readiness.steps.haltedScaleUp,
    readiness.steps.makeReady,
    readiness.steps.resolveAfterReady,
    readiness.steps.scaleBack,
    orphan.steps.orphanPods,
    orphan.steps.adopt,
    orphan.steps.verifyAdopted,
    startOrdinal.steps.shift,
    startOrdinal.steps.reorder,
    retention.steps.deleteWithStatefulSet,
  ],
  nodes: [
    nodes.steps.pinnedLab,
    nodes.steps.drainPinned,
    nodes.steps.uncordonNode,
    nodes.steps.movingLab,
    nodes.steps.drainMoving,
    nodes.steps.uncordonMoving,
    nodes.steps.failNode,
  ],
  storage: [
    smoke.steps.smokeLab,
    identity.steps.kill,
    storage.steps.verify,
    smoke.steps.smokeMove,
    smoke.steps.smokeScaleZero,
    smoke.steps.smokeExpand,
  ],
};

/** The last step: after the lifecycle part a cascading delete, which it teaches; otherwise scale to 0 first. */
export const teardownStep = (parts: TourPart[]): StepFactory<TourEvidence> =>
  parts.includes('lifecycle') ? cleanup.steps.cascadingDelete : cleanup.steps.scaleDownAndDelete;

/** The lessons verify judges from the lab as it is now, by name. */
export const VERIFIABLE = LESSONS.filter((l) => 'verify' in l && l.verify !== undefined);
