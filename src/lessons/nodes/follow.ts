// What drain and node-failure share: where a pod's volume lets it run, the rights a node lesson
// needs, and following a pod's replacement until it is Ready or the scheduler says why it cannot be.
import { CliError } from '../../errors.ts';
import type { Lab, PodWatch, V1Pod } from '../../k8s/index.ts';
import { claimName, podName, type LabNames } from '../../lab/names.ts';
import { nodeRightsMessage, type Permission } from '../../lab/permissions.ts';
import { isReady, stageOf, uidOf } from '../../lab/pods.ts';
import { pinText, volumeNodes } from '../../lab/volumes.ts';
import { schedulingProblem, type VolumeNodes } from './judge.ts';

export interface VolumeFacts {
  claim: string;
  pv: string | null;
  /** Where the volume lets the pod run: [] anywhere, null unreadable (PersistentVolumes are cluster-scoped). */
  nodes: VolumeNodes;
}

export async function volumeOf(lab: Lab, n: LabNames, ordinal: number): Promise<VolumeFacts> {
  const claim = claimName(n, ordinal);
  const pv = (await lab.findClaim(claim))?.spec?.volumeName ?? null;
  return { claim, pv, nodes: pv ? volumeNodes(await lab.findVolume(pv)) : null };
}

export const volumeText = (v: VolumeFacts): string =>
  v.nodes === null ? 'unknown (PersistentVolumes not readable)' : pinText(v.nodes);

/** Refuses, in one line naming the permission, what these credentials may not do; hint: the simulation. */
export async function requireRights(lab: Lab, wanted: Permission[], what: string, hint: string): Promise<void> {
  const denied = await lab.deniedPermissions(wanted);
  if (denied.length) throw new CliError(nodeRightsMessage(what, denied), hint);
}

/** The pod that holds the ordinal now, if it is not the old one. */
export const replacementOf = (watch: PodWatch, ordinal: number, oldUid: string): V1Pod | undefined => {
  const p = watch.byOrdinal().get(ordinal);
  return p && uidOf(p) !== oldUid ? p : undefined;
};

/** What the ordinal's pod is doing now, for a wait's live reason. */
export function podNow(watch: PodWatch, n: LabNames, ordinal: number): string {
  const p = watch.byOrdinal().get(ordinal);
  if (!p) return `${podName(n, ordinal)} is absent`;
  const why = schedulingProblem(p);
  return `${podName(n, ordinal)} is ${stageOf(p)}${p.spec?.nodeName ? ` on ${p.spec.nodeName}` : ''}${why ? `: ${why}` : ''}`;
}

/**
 * Follows the replacement of a pod that is going: until it is Ready, or (settle) the scheduler
 * has said why it cannot place it. Returns the replacement.
 */
export async function followReplacement(
  watch: PodWatch,
  n: LabNames,
  ordinal: number,
  oldUid: string,
  timeoutMs: number,
): Promise<V1Pod> {
  await watch.until(
    () => {
      const p = replacementOf(watch, ordinal, oldUid);
      return Boolean(p && (isReady(p) || schedulingProblem(p)));
    },
    () =>
      `the replacement of ${podName(n, ordinal)} to be Ready or refused by the scheduler (${podNow(watch, n, ordinal)})`,
    timeoutMs,
  );
  return replacementOf(watch, ordinal, oldUid)!;
}

export const goneFrom = (watch: PodWatch, uid: string): boolean =>
  watch.history.some((c) => c.uid === uid && c.type === 'delete');

export interface Hold {
  ms: number;
  /** The pod that took the name while the old object still existed: the guarantee broken. */
  secondPod: string | null;
  oldStillThere: boolean;
}

/** At most one: watches the ordinal for holdMs (or until the old object goes) for a second pod of that name. */
export async function watchHold(watch: PodWatch, ordinal: number, oldUid: string, holdMs: number): Promise<Hold> {
  const until = Date.now() + holdMs;
  // The window's end is a moment, not a change: a tick lets the watch's predicate see it.
  const tick = setInterval(() => watch.changes.notify(), 500);
  try {
    await watch.until(
      () => Date.now() >= until || Boolean(replacementOf(watch, ordinal, oldUid)) || goneFrom(watch, oldUid),
      'the hold window to end',
      holdMs + 30_000,
    );
  } finally {
    clearInterval(tick);
  }
  const second = replacementOf(watch, ordinal, oldUid);
  return { ms: holdMs, secondPod: second ? uidOf(second) : null, oldStillThere: !goneFrom(watch, oldUid) };
}
