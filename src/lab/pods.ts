// How a lab pod is doing, read from the API object alone. Structural types keep this layer
// free of the client library.

export interface Condition {
  type: string;
  status: string;
  reason?: string | undefined;
  message?: string | undefined;
  lastTransitionTime?: Date | string | undefined;
}

export interface PodLike {
  metadata?: {
    name?: string;
    uid?: string;
    creationTimestamp?: Date | string;
    deletionTimestamp?: Date | string;
  };
  spec?: { nodeName?: string; hostname?: string; subdomain?: string };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: Condition[];
    containerStatuses?: {
      ready?: boolean;
      restartCount?: number;
      state?: {
        waiting?: { reason?: string; message?: string };
        running?: { startedAt?: Date | string };
        terminated?: unknown;
      };
    }[];
  };
}

export type Stage = 'Pending' | 'ContainerCreating' | 'Running' | 'Ready' | 'Terminating' | 'Failed' | 'Succeeded';

/** The stages a learner sees a StatefulSet pod pass through, in order. */
export const STAGES: Stage[] = ['Pending', 'ContainerCreating', 'Running', 'Ready'];

export const uidOf = (p: PodLike): string => p.metadata?.uid ?? '';

/** The pod that had this UID is Terminating or gone (p: what now holds its name, if anything). */
export const isGoing = (p: PodLike | undefined, uid: string): boolean =>
  !p || uidOf(p) !== uid || Boolean(p.metadata?.deletionTimestamp);

/** The label the StatefulSet controller puts the pod's revision (its ControllerRevision's name) in. */
export const REVISION_LABEL = 'controller-revision-hash';

export const revisionOf = (pod: PodLike & { metadata?: { labels?: Record<string, string> } }): string | null =>
  pod.metadata?.labels?.[REVISION_LABEL] ?? null;

export function condition(pod: PodLike, type: string): Condition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

export const isReady = (pod: PodLike): boolean =>
  !pod.metadata?.deletionTimestamp && condition(pod, 'Ready')?.status === 'True';

export function stageOf(pod: PodLike): Stage {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return phase;
  if (isReady(pod)) return 'Ready';
  if (phase === 'Running') return 'Running';
  if (condition(pod, 'PodScheduled')?.status === 'True') {
    const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;
    return waiting && waiting !== 'ContainerCreating' ? 'Pending' : 'ContainerCreating';
  }
  return 'Pending';
}

export function toDate(t: Date | string | undefined): Date | undefined {
  if (t === undefined) return undefined;
  return t instanceof Date ? t : new Date(t);
}

export const readySince = (pod: PodLike): Date | undefined =>
  isReady(pod) ? toDate(condition(pod, 'Ready')?.lastTransitionTime) : undefined;
