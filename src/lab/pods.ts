// How a lab pod is doing, read from the API object alone. Structural types keep this layer
// free of the client library.

export interface Condition {
  type: string;
  status: string;
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
    containerStatuses?: { ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string; message?: string }; terminated?: unknown } }[];
  };
}

export type Stage = 'Pending' | 'ContainerCreating' | 'Running' | 'Ready' | 'Terminating' | 'Failed' | 'Succeeded';

/** The stages a learner sees a StatefulSet pod pass through, in order. */
export const STAGES: Stage[] = ['Pending', 'ContainerCreating', 'Running', 'Ready'];

export const uidOf = (p: PodLike): string => p.metadata?.uid ?? '';

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

/** A waiting reason worth showing (ErrImagePull, CrashLoopBackOff…), if any. */
export function problemOf(pod: PodLike): string | undefined {
  const reason = pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;
  return reason && reason !== 'ContainerCreating' ? reason : undefined;
}

/** Reasons that no amount of waiting fixes: the pod spec or the image itself is wrong. */
const HOPELESS = new Set(['InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** Why a pod will not become Ready without someone changing something, if that is known. */
export function hopelessReason(pod: PodLike): string | undefined {
  const status = pod.status?.containerStatuses?.[0] as
    | { restartCount?: number; state?: { waiting?: { reason?: string; message?: string } }; lastState?: { terminated?: { message?: string; exitCode?: number } } }
    | undefined;
  const waiting = status?.state?.waiting;
  if (waiting?.reason && HOPELESS.has(waiting.reason)) return `${waiting.reason}: ${waiting.message ?? ''}`.trim();
  // Crashing again and again: the container cannot start, as its last exit says.
  if (waiting?.reason === 'CrashLoopBackOff' && (status?.restartCount ?? 0) >= 3) {
    const last = status?.lastState?.terminated;
    return `CrashLoopBackOff after ${status?.restartCount} restarts${last ? ` (exit code ${last.exitCode}${last.message ? `: ${last.message.trim()}` : ''})` : ''}`;
  }
  return undefined;
}

export function toDate(t: Date | string | undefined): Date | undefined {
  if (t === undefined) return undefined;
  return t instanceof Date ? t : new Date(t);
}

export const readySince = (pod: PodLike): Date | undefined =>
  isReady(pod) ? toDate(condition(pod, 'Ready')?.lastTransitionTime) : undefined;
