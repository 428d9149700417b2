// `kubectl sts-lab storage`, pure: the StorageClasses, the nodes with their zones, where each lab
// pod's volume lives, and the combinations known to bite a StatefulSet. The objects are read in
// src/k8s/; null wherever these credentials may not read them.
import { isDefaultClassLike } from './storage-classes.ts';
import { volumeNodes } from './volumes.ts';
import { ZONE_LABEL } from './cluster-facts.ts';
import { claimName, podName, type LabNames } from './names.ts';

export interface ClassRow {
  name: string;
  provisioner: string;
  volumeBindingMode: string;
  reclaimPolicy: string;
  allowVolumeExpansion: boolean;
  /** "topology.kubernetes.io/zone in a,b"; [] when the class may provision anywhere. */
  allowedTopologies: string[];
  isDefault: boolean;
}

export interface NodeRow {
  name: string;
  zone: string | null;
  ready: boolean;
  schedulable: boolean;
}

export interface VolumeRow {
  pod: string;
  node: string | null;
  zone: string | null;
  pvc: string;
  pvcStatus: string | null;
  storageClass: string | null;
  pv: string | null;
  /** [] any node, null unknown. */
  volumeNodes: string[] | null;
  accessModes: string[];
  /** The VolumeAttachment of the volume on its node: null when there is none (not an attachable volume). */
  attachment: { name: string; node: string; attached: boolean } | null;
}

export interface StorageReport {
  classes: ClassRow[] | null;
  nodes: NodeRow[] | null;
  volumes: VolumeRow[];
  warnings: string[];
}

interface Meta {
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: Date | string;
}

export interface StorageInput {
  names: LabNames;
  classes:
    | {
        metadata?: Meta;
        provisioner?: string;
        volumeBindingMode?: string;
        reclaimPolicy?: string;
        allowVolumeExpansion?: boolean;
        allowedTopologies?: { matchLabelExpressions?: { key?: string; values?: string[] }[] }[];
      }[]
    | undefined;
  nodes:
    | {
        metadata?: Meta;
        spec?: { unschedulable?: boolean };
        status?: { conditions?: { type: string; status: string }[] };
      }[]
    | undefined;
  /** The lab's StatefulSet: claims older than it were kept from an earlier lab. */
  statefulSet: { metadata?: Meta; spec?: { replicas?: number } } | undefined;
  pods: { metadata?: Meta; spec?: { nodeName?: string } }[];
  claims: {
    metadata?: Meta;
    spec?: { volumeName?: string; storageClassName?: string; accessModes?: string[] };
    status?: { phase?: string };
  }[];
  volumes: ReadonlyMap<string, Parameters<typeof volumeNodes>[0] & { spec?: { accessModes?: string[] } }>;
  attachments:
    | {
        metadata?: Meta;
        spec?: { nodeName?: string; source?: { persistentVolumeName?: string } };
        status?: { attached?: boolean };
      }[]
    | undefined;
}

const at = (t: Date | string | undefined) => (t === undefined ? undefined : new Date(t).getTime());

export function storageReport(i: StorageInput): StorageReport {
  const nodes = i.nodes?.map((n): NodeRow => ({
    name: n.metadata?.name ?? '',
    zone: n.metadata?.labels?.[ZONE_LABEL] ?? null,
    ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    schedulable: !n.spec?.unschedulable,
  }));
  const classes = i.classes?.map((c): ClassRow => ({
    name: c.metadata?.name ?? '',
    provisioner: c.provisioner ?? '',
    volumeBindingMode: c.volumeBindingMode ?? 'Immediate',
    reclaimPolicy: c.reclaimPolicy ?? 'Delete',
    allowVolumeExpansion: c.allowVolumeExpansion === true,
    allowedTopologies: (c.allowedTopologies ?? []).flatMap((t) =>
      (t.matchLabelExpressions ?? []).map((e) => `${e.key} in ${(e.values ?? []).join(',')}`),
    ),
    isDefault: isDefaultClassLike(c),
  }));
  const zoneOf = (node: string | null) => nodes?.find((n) => n.name === node)?.zone ?? null;
  const podByName = new Map(i.pods.map((p) => [p.metadata?.name ?? '', p]));
  const labClaims = i.claims.filter((c) => /-\d+$/.test(c.metadata?.name ?? ''));
  const volumes = labClaims
    .map((c) => {
      const pvc = c.metadata?.name ?? '';
      const ordinal = Number(/-(\d+)$/.exec(pvc)![1]);
      const pod = podName(i.names, ordinal);
      const pv = c.spec?.volumeName ?? null;
      const volume = pv ? i.volumes.get(pv) : undefined;
      const node = podByName.get(pod)?.spec?.nodeName ?? null;
      const a = pv ? i.attachments?.find((x) => x.spec?.source?.persistentVolumeName === pv) : undefined;
      return {
        ordinal,
        row: {
          pod,
          node,
          zone: zoneOf(node),
          pvc,
          pvcStatus: c.status?.phase ?? null,
          storageClass: c.spec?.storageClassName ?? null,
          pv,
          volumeNodes: pv ? volumeNodes(volume) : null,
          accessModes: volume?.spec?.accessModes ?? c.spec?.accessModes ?? [],
          attachment: a
            ? { name: a.metadata?.name ?? '', node: a.spec?.nodeName ?? '', attached: a.status?.attached === true }
            : null,
        } satisfies VolumeRow,
        claim: c,
      };
    })
    .filter((v) => v.row.pvc === claimName(i.names, v.ordinal))
    .sort((a, b) => a.ordinal - b.ordinal);
  return {
    classes: classes ?? null,
    nodes: nodes ?? null,
    volumes: volumes.map((v) => v.row),
    warnings: [
      ...immediateAcrossZones(classes, nodes),
      ...volumes.flatMap((v) => pinnedToUnavailable(v.row, nodes)),
      ...volumes.flatMap((v) => keptFromEarlier(v.row, at(v.claim.metadata?.creationTimestamp), i.statefulSet)),
    ],
  };
}

/** Immediate binding provisions before the scheduler picks a node: in another zone than the pod can run in. */
function immediateAcrossZones(classes: ClassRow[] | undefined, nodes: NodeRow[] | undefined): string[] {
  const zones = new Set((nodes ?? []).map((n) => n.zone).filter(Boolean));
  if (zones.size < 2) return [];
  return (classes ?? [])
    .filter((c) => c.volumeBindingMode === 'Immediate' && !c.allowedTopologies.length)
    .map(
      (c) =>
        `StorageClass ${c.name} binds Immediate on a cluster with ${zones.size} zones: a claim is provisioned before its pod is scheduled, maybe in a zone the pod cannot run in (use volumeBindingMode WaitForFirstConsumer)`,
    );
}

function pinnedToUnavailable(v: VolumeRow, nodes: NodeRow[] | undefined): string[] {
  return (v.volumeNodes ?? []).flatMap((name) => {
    const n = nodes?.find((x) => x.name === name);
    if (!n || (n.ready && n.schedulable)) return [];
    const state = [!n.ready && 'NotReady', !n.schedulable && 'cordoned'].filter(Boolean).join(' and ');
    return [
      `the volume of ${v.pod} (${v.pv}) is pinned to node ${name}, which is ${state}: a re-created ${v.pod} can run nowhere else, and stays Pending`,
    ];
  });
}

/** A claim older than the StatefulSet was left by an earlier lab: a new pod of that ordinal must go where it is. */
function keptFromEarlier(v: VolumeRow, claimCreated: number | undefined, sts: StorageInput['statefulSet']): string[] {
  const stsCreated = at(sts?.metadata?.creationTimestamp);
  const older = claimCreated !== undefined && (stsCreated === undefined || claimCreated < stsCreated);
  if (!older || !v.volumeNodes?.length) return [];
  return [
    `claim ${v.pvc} was kept from an earlier lab (older than ${sts ? 'the StatefulSet' : 'any StatefulSet here'}) and its volume is pinned to ${v.volumeNodes.join(', ')}: ${v.pod} must run there (kubectl sts-lab teardown deletes the claims)`,
  ];
}
