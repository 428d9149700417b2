// How long each pod waited for its storage, from the server's own timestamps (whole seconds):
// its claim bound (the dynamically provisioned volume created) and the volume attached and
// mounted (the pod's PodReadyToStartContainers condition, or its container's start on servers
// without it). Counted from the later of the claim's and the pod's creation, so a claim kept
// from an earlier lab is timed from the pod that mounts it again.
import { condition, type PodLike } from './pods.ts';

export interface AttachTiming {
  pod: string;
  pvc: string;
  /** Claim (or pod) created → bound; 0 when it was bound already. */
  boundMs: number | null;
  /** → attached and mounted in the pod. */
  attachedMs: number | null;
}

interface Stamped {
  metadata?: { name?: string; creationTimestamp?: Date | string };
}

type Started = PodLike & {
  status?: { containerStatuses?: { state?: { running?: { startedAt?: Date | string } } }[] };
};

const at = (t: Date | string | undefined): number | null => (t === undefined ? null : new Date(t).getTime());

export function attachTiming(
  pod: Started,
  claim: Stamped & { spec?: { volumeName?: string } },
  pv: Stamped | undefined,
) {
  const start = Math.max(at(claim.metadata?.creationTimestamp) ?? 0, at(pod.metadata?.creationTimestamp) ?? 0);
  const created = at(pv?.metadata?.creationTimestamp);
  const mounted =
    at(condition(pod, 'PodReadyToStartContainers')?.lastTransitionTime) ??
    at(pod.status?.containerStatuses?.[0]?.state?.running?.startedAt);
  const since = (t: number | null) => (t === null || !start ? null : Math.max(0, t - start));
  return {
    pod: pod.metadata?.name ?? '',
    pvc: claim.metadata?.name ?? '',
    boundMs: claim.spec?.volumeName ? (since(created) ?? (pv ? 0 : null)) : null,
    attachedMs: since(mounted),
  } satisfies AttachTiming;
}

/** The slowest pod's storage: what --max-attach judges (null when any pod's could not be timed). */
export const slowestAttach = (timings: AttachTiming[]): number | null =>
  timings.length && timings.every((t) => t.attachedMs !== null) ? Math.max(...timings.map((t) => t.attachedMs!)) : null;
