// The node lessons' judges, pure: what a node says of itself, how many lab pods were unavailable
// at once, where a replacement went and why, and the verdicts of drain and node-failure.
import { condition, isReady, type PodLike } from '../../lab/pods.ts';
import { passIf, verdict, type Result, type Verdict } from '../../lab/verdict.ts';

export interface NodeLike {
  metadata?: { name?: string };
  spec?: { unschedulable?: boolean; taints?: { key: string; effect: string; timeAdded?: Date | string }[] };
  status?: { conditions?: { type: string; status: string; reason?: string; lastTransitionTime?: Date | string }[] };
}

/** The node's Ready condition: 'True', 'False', 'Unknown' (the kubelet stopped posting), or null. */
export const nodeReady = (node: NodeLike | undefined): string | null =>
  node?.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? null;

/** When a taint with this key was added, or undefined when the node does not have it. */
export function taintAdded(node: NodeLike | undefined, key: string, effect = 'NoExecute'): Date | undefined {
  const t = node?.spec?.taints?.find((x) => x.key === key && x.effect === effect);
  return t ? new Date(t.timeAdded ?? 0) : undefined;
}

export const hasTaint = (node: NodeLike | undefined, key: string, effect?: string): boolean =>
  Boolean(node?.spec?.taints?.some((t) => t.key === key && (!effect || t.effect === effect)));

/** Schedulable and Ready: a node a replacement can go to. */
export const canRun = (node: NodeLike): boolean =>
  nodeReady(node) === 'True' && !node.spec?.unschedulable && !hasTaint(node, 'node.kubernetes.io/unschedulable');

export interface PodState {
  uid: string;
  ordinal: number;
  ready: boolean;
}

/**
 * The most lab pods unavailable at once (absent, or present and not Ready) over a sequence of
 * states of the lab: what a budget of maxUnavailable 1 must keep at 1.
 */
export function mostUnavailable(states: ReadonlyMap<number, PodState>[], ordinals: number[]): number {
  return Math.max(0, ...states.map((s) => ordinals.filter((o) => !s.get(o)?.ready).length));
}

/** Each change of a watch replayed into the lab's state after it (the pods by ordinal). */
export function statesOf(
  changes: { type: string; ordinal: number; uid: string; pod: PodLike }[],
): ReadonlyMap<number, PodState>[] {
  const now = new Map<number, PodState>();
  return changes.map((c) => {
    if (c.type === 'delete') {
      if (now.get(c.ordinal)?.uid === c.uid) now.delete(c.ordinal);
    } else now.set(c.ordinal, { uid: c.uid, ordinal: c.ordinal, ready: isReady(c.pod) });
    return new Map(now);
  });
}

/** The scheduler's own words for a pod it cannot place (PodScheduled=False), or null. */
export function schedulingProblem(pod: PodLike | undefined): string | null {
  const c = pod && condition(pod, 'PodScheduled');
  return c?.status === 'False' ? (c.message ?? c.reason ?? 'Unschedulable') : null;
}

/** The scheduler refused the pod because of where its volume is. */
export const heldByVolume = (message: string | null): boolean =>
  Boolean(message && /volume node affinity|PersistentVolume's node affinity/i.test(message));

/** Where a pod's volume lets it run: null unreadable, [] anywhere, else those nodes. */
export type VolumeNodes = string[] | null;

export const pinnedTo = (volume: VolumeNodes, node: string): boolean =>
  volume !== null && volume.length > 0 && volume.every((v) => v === node);

export interface Check {
  check: string;
  expected: string;
  observed: string;
  result: Result;
}

export const check = (name: string, expected: string, observed: string, ok: boolean | null): Check => ({
  check: name,
  expected,
  observed,
  result: ok === null ? 'N/A' : passIf(ok),
});

/** PASS when every check passed, FAIL when one failed (N/A rows do not decide). */
export function judged(headline: { pass: string; fail: string }, lessons: string[], checks: Check[]): Verdict<Check> {
  const failed = checks.filter((c) => c.result === 'FAIL');
  return verdict(
    failed.length ? 'FAIL' : 'PASS',
    failed.length ? headline.fail : headline.pass,
    [...lessons, ...failed.map((c) => `${c.check}: expected ${c.expected}, saw ${c.observed}`)],
    checks,
  );
}
