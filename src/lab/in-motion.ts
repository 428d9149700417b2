// What the lab is still doing when a command starts: a change an earlier command began and did
// not see to its end (Ctrl-C, SIGKILL, a lost terminal, a CI job killed). The pods tell: one
// missing, going, not started yet, or left on an older revision by a roll-out in progress.
// A pod that stays as it is on purpose (NotReady by the readiness switch, Pending on a node the
// lab cordoned) is not in motion: waiting for it would never end.
import { policyOf, type PodManagementPolicy } from './manifests.ts';
import { labOrdinals, startOrdinal, type OrdinalSpec } from './ordinals.ts';
import { condition, isReady, revisionOf, stageOf, toDate, type PodLike } from './pods.ts';

export interface MotionPlan {
  ordinals: number[];
  /** The StatefulSet's first ordinal (spec.ordinals.start). */
  start: number;
  /** Ordinals from here up must run updateRevision (RollingUpdate); undefined: no roll-out to finish. */
  updateFrom: number | undefined;
  updateRevision: string | undefined;
  policy: PodManagementPolicy;
  /** The time the pods are judged at (ms since the epoch). */
  now: number;
  /** A node the lab cordoned: a pod the scheduler cannot place stays Pending on purpose. */
  labCordon: boolean;
}

export type RevisionedPod = PodLike & { metadata?: { labels?: Record<string, string> } };

export interface StatefulSetLike extends OrdinalSpec {
  spec?: OrdinalSpec['spec'] & {
    podManagementPolicy?: string;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  };
  status?: { updateRevision?: string };
}

export function motionPlan(sts: StatefulSetLike, labCordon: boolean, now = Date.now()): MotionPlan {
  const rolling = (sts.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  return {
    ordinals: labOrdinals(sts),
    start: startOrdinal(sts),
    updateFrom: rolling ? startOrdinal(sts) + partition : undefined,
    updateRevision: sts.status?.updateRevision,
    policy: policyOf(sts.spec),
    now,
    labCordon,
  };
}

/**
 * What one pod is still doing, or undefined when it is where it will stay. held: the ordinals of pods that stay
 * NotReady or unplaced on purpose; the controller's roll-out waits for them, and under OrderedReady so do its
 * creations above them and its deletions.
 */
export function motionOf(
  ordinal: number,
  pod: RevisionedPod | undefined,
  plan: MotionPlan,
  held: number[],
): string | undefined {
  const wanted = plan.ordinals.includes(ordinal);
  const ordered = plan.policy === 'OrderedReady';
  if (!pod) return wanted && !(ordered && held.some((h) => h < ordinal)) ? 'not created yet' : undefined;
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  if (!wanted) return ordered && held.length ? undefined : 'not deleted yet (above the replica count)';
  if (!isReady(pod)) return isHeld(pod, plan) ? undefined : stageOf(pod);
  const revision = revisionOf(pod);
  const behind =
    plan.updateFrom !== undefined &&
    ordinal >= plan.updateFrom &&
    Boolean(plan.updateRevision) &&
    revision !== plan.updateRevision &&
    !held.length;
  return behind ? `on revision ${revision}, not yet ${plan.updateRevision}` : undefined;
}

/** A pod that stays as it is until someone acts: NotReady after its start, or Pending on the lab's cordon. */
const isHeld = (pod: PodLike, plan: MotionPlan): boolean => {
  if (pod.metadata?.deletionTimestamp || isReady(pod)) return false;
  const stage = stageOf(pod);
  if (stage === 'Running') return !isStarting(pod, plan.now);
  return stage === 'Pending' && plan.labCordon && condition(pod, 'PodScheduled')?.reason === 'Unschedulable';
};

/** Every pod still in motion, by name, lowest ordinal first. */
export function inMotion(
  pods: ReadonlyMap<number, RevisionedPod>,
  plan: MotionPlan,
  podName: (ordinal: number) => string,
): { pod: string; ordinal: number; doing: string }[] {
  const ordinals = [...new Set([...plan.ordinals, ...pods.keys()])].sort((a, b) => a - b);
  const held = plan.ordinals.filter((i) => pods.has(i) && isHeld(pods.get(i)!, plan));
  return ordinals.flatMap((ordinal) => {
    const doing = motionOf(ordinal, pods.get(ordinal), plan, held);
    return doing ? [{ pod: podName(ordinal), ordinal, doing }] : [];
  });
}

/** The lab's nginx is Ready about a second after it starts: one that is not, long after, is stuck, not starting. */
export const STARTING_MS = 30_000;

/**
 * A Running pod that has not been Ready since its container started, and started less than STARTING_MS ago: a new pod
 * (or a restarted container) on its way to Ready. One that was Ready and then failed its probe went NotReady after
 * the start, and stays so until someone acts; so does one whose probe never passes (a broken update).
 */
export function isStarting(pod: PodLike, now: number): boolean {
  const notReadySince = toDate(condition(pod, 'Ready')?.lastTransitionTime);
  const startedAt = toDate(pod.status?.containerStatuses?.[0]?.state?.running?.startedAt);
  if (!notReadySince || !startedAt) return true;
  // The kubelet stamps both in whole seconds.
  return notReadySince.getTime() <= startedAt.getTime() + 1000 && now - startedAt.getTime() < STARTING_MS;
}
