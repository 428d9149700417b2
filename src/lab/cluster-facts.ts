// The cluster a verdict was proved on, as every judging command's -o json and the tour's report
// name it: the server's version, the StorageClass the claims use, the nodes and zones, the lab's
// pod management policy, and whether the server kept each optional field sts-lab sent (a server
// without a feature drops its field without a word). Pure: the objects are read in src/k8s/.
import { SENT_FIELDS_ANNOTATION } from './names.ts';
import { policyOf } from './manifests.ts';
import { isDefaultClassLike } from './storage-classes.ts';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The optional StatefulSet fields whose fate on the server the evidence reports. */
export const OPTIONAL_FIELDS = ['maxUnavailable', 'ordinals', 'persistentVolumeClaimRetentionPolicy'] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];
export type FieldFate = 'kept' | 'dropped' | 'not sent';

export interface StorageClassFacts {
  name: string;
  provisioner: string;
  volumeBindingMode: string;
  reclaimPolicy: string;
  allowVolumeExpansion: boolean;
  isDefault: boolean;
}

export interface ClusterFacts {
  context: string;
  server: string;
  /** null: the server did not say. */
  serverVersion: string | null;
  /** The class the lab's claims use (asked for, or the default); null when it cannot be read or there is none. */
  storageClass: StorageClassFacts | null;
  /** null: these credentials may not list nodes. */
  nodes: number | null;
  zones: string[] | null;
  /** null: there is no lab StatefulSet now. */
  podManagementPolicy: 'OrderedReady' | 'Parallel' | null;
  kept: Record<OptionalField, FieldFate> | null;
}

interface ClassLike {
  metadata?: { name?: string; annotations?: Record<string, string> };
  provisioner?: string;
  volumeBindingMode?: string;
  reclaimPolicy?: string;
  allowVolumeExpansion?: boolean;
}

interface StatefulSetLike {
  metadata?: { annotations?: Record<string, string> };
  spec?: {
    podManagementPolicy?: string;
    ordinals?: unknown;
    persistentVolumeClaimRetentionPolicy?: unknown;
    updateStrategy?: { rollingUpdate?: { maxUnavailable?: unknown } };
    volumeClaimTemplates?: { spec?: { storageClassName?: string } }[];
  };
}

interface NodeLike {
  metadata?: { labels?: Record<string, string> };
}

export interface FactsInput {
  context: string;
  server: string;
  serverVersion: string | null;
  /** undefined: not readable. */
  classes: ClassLike[] | undefined;
  /** The class asked for with --storage-class, when there is no StatefulSet to read it from. */
  askedClass?: string | undefined;
  nodes: NodeLike[] | undefined;
  statefulSet: StatefulSetLike | undefined;
}

/** The fields the lab sent, as setup and update record them on the StatefulSet. */
export const sentFields = (sts: StatefulSetLike | undefined): OptionalField[] =>
  (sts?.metadata?.annotations?.[SENT_FIELDS_ANNOTATION] ?? '')
    .split(',')
    .filter((f): f is OptionalField => (OPTIONAL_FIELDS as readonly string[]).includes(f));

/** The annotation's value after sending these fields too. */
export const withSent = (sts: StatefulSetLike | undefined, fields: OptionalField[]): string =>
  OPTIONAL_FIELDS.filter((f) => fields.includes(f) || sentFields(sts).includes(f)).join(',');

const present = (sts: StatefulSetLike, f: OptionalField): boolean =>
  f === 'maxUnavailable'
    ? sts.spec?.updateStrategy?.rollingUpdate?.maxUnavailable !== undefined
    : sts.spec?.[f] !== undefined && sts.spec?.[f] !== null;

export function keptFields(sts: StatefulSetLike): Record<OptionalField, FieldFate> {
  const sent = sentFields(sts);
  return Object.fromEntries(
    OPTIONAL_FIELDS.map((f) => [f, sent.includes(f) ? (present(sts, f) ? 'kept' : 'dropped') : 'not sent']),
  ) as Record<OptionalField, FieldFate>;
}

export function clusterFacts(i: FactsInput): ClusterFacts {
  const sts = i.statefulSet;
  const className = sts?.spec?.volumeClaimTemplates?.[0]?.spec?.storageClassName ?? i.askedClass;
  const sc = className ? i.classes?.find((c) => c.metadata?.name === className) : i.classes?.find(isDefaultClassLike);
  return {
    context: i.context,
    server: i.server,
    serverVersion: i.serverVersion,
    storageClass: sc
      ? {
          name: sc.metadata?.name ?? '',
          provisioner: sc.provisioner ?? '',
          volumeBindingMode: sc.volumeBindingMode ?? 'Immediate',
          reclaimPolicy: sc.reclaimPolicy ?? 'Delete',
          allowVolumeExpansion: sc.allowVolumeExpansion === true,
          isDefault: isDefaultClassLike(sc),
        }
      : null,
    nodes: i.nodes?.length ?? null,
    zones: i.nodes ? zonesOf(i.nodes) : null,
    podManagementPolicy: sts ? policyOf(sts.spec) : null,
    kept: sts ? keptFields(sts) : null,
  };
}

export const zonesOf = (nodes: NodeLike[]): string[] =>
  [...new Set(nodes.map((n) => n.metadata?.labels?.[ZONE_LABEL]).filter((z): z is string => Boolean(z)))].sort();

/** The facts as name/value pairs: JUnit properties and the report's header. */
export function factProperties(f: ClusterFacts): [string, string][] {
  const sc = f.storageClass;
  return [
    ['sts-lab.context', f.context],
    ['sts-lab.server', f.server],
    ['sts-lab.serverVersion', f.serverVersion ?? 'unknown'],
    ['sts-lab.storageClass', sc?.name ?? 'unknown'],
    ['sts-lab.storageClass.provisioner', sc?.provisioner ?? 'unknown'],
    ['sts-lab.storageClass.volumeBindingMode', sc?.volumeBindingMode ?? 'unknown'],
    ['sts-lab.nodes', f.nodes === null ? 'unknown' : String(f.nodes)],
    ['sts-lab.zones', f.zones === null ? 'unknown' : f.zones.length ? f.zones.join(',') : 'none'],
    ['sts-lab.podManagementPolicy', f.podManagementPolicy ?? 'unknown'],
    ...OPTIONAL_FIELDS.map((k): [string, string] => [`sts-lab.kept.${k}`, f.kept?.[k] ?? 'unknown']),
  ];
}

/** "StorageClass standard (rancher.io/local-path, WaitForFirstConsumer), 3 nodes, no zones, OrderedReady". */
export function factsText(f: ClusterFacts): string {
  const sc = f.storageClass;
  return [
    sc ? `StorageClass ${sc.name} (${sc.provisioner}, ${sc.volumeBindingMode})` : 'StorageClass unknown',
    f.nodes === null ? 'nodes unknown' : `${f.nodes} node${f.nodes === 1 ? '' : 's'}`,
    f.zones === null ? '' : f.zones.length ? `zones ${f.zones.join(', ')}` : 'no zones',
    f.podManagementPolicy ?? '',
  ]
    .filter(Boolean)
    .join(', ');
}
