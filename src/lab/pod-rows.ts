// Rows of the lab's tables and their -o json shape, built from API objects.
import { claimName, podDnsName, podName, type LabNames } from './names.ts';
import { isReady, stageOf, type PodLike } from './pods.ts';

export interface ClaimLike {
  metadata?: { name?: string; uid?: string };
  spec?: { volumeName?: string; storageClassName?: string };
  status?: { phase?: string };
}

export interface PodRow {
  ordinal: number;
  pod: string;
  uid: string | null;
  phase: string;
  ready: boolean;
  ip: string | null;
  node: string | null;
  dns: string;
  pvc: string;
  pvcStatus: string | null;
  pv: string | null;
  /** The nodes the volume is pinned to: [] any node, null unknown (no volume, or PersistentVolumes not readable). */
  volumeNodes: string[] | null;
}

/** One row per ordinal that has a pod or is wanted by the spec. */
export function podRows(
  n: LabNames,
  wanted: number[],
  pods: ReadonlyMap<number, PodLike>,
  claims: ClaimLike[],
  pins: ReadonlyMap<string, string[] | null> = new Map(),
): PodRow[] {
  const ordinals = new Set<number>([...pods.keys(), ...wanted]);
  const claimsByName = new Map(claims.map((c) => [c.metadata?.name ?? '', c]));
  return [...ordinals]
    .sort((a, b) => a - b)
    .map((ordinal) => {
      const pod = pods.get(ordinal);
      const claim = claimsByName.get(claimName(n, ordinal));
      return {
        ordinal,
        pod: podName(n, ordinal),
        uid: pod?.metadata?.uid ?? null,
        phase: pod ? stageOf(pod) : 'Absent',
        ready: pod ? isReady(pod) : false,
        ip: pod?.status?.podIP ?? null,
        node: pod?.spec?.nodeName ?? null,
        dns: podDnsName(n, ordinal),
        pvc: claimName(n, ordinal),
        pvcStatus: claim?.status?.phase ?? null,
        pv: claim?.spec?.volumeName ?? null,
        volumeNodes: pins.get(claim?.spec?.volumeName ?? '') ?? null,
      };
    });
}
