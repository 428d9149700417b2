// Turns manifests/*.yaml (the source of truth, embedded at build time) into the objects
// setup applies, with the user's settings filled in. Pure: the YAML texts are passed in.
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import {
  budgetName,
  NOT_READY_TAINT,
  SENT_FIELDS_ANNOTATION,
  SPEC_HASH_ANNOTATION,
  UNREACHABLE_TAINT,
  type LabNames,
} from './names.ts';

export interface ManifestSources {
  namespace: string;
  service: string;
  statefulset: string;
  poddisruptionbudget: string;
}

export type PodManagementPolicy = 'OrderedReady' | 'Parallel';

/** A StatefulSet's policy as the server reports it: OrderedReady is the API's default. */
export const policyOf = (spec: { podManagementPolicy?: string } | undefined): PodManagementPolicy =>
  spec?.podManagementPolicy === 'Parallel' ? 'Parallel' : 'OrderedReady';
export type UpdateStrategy = 'RollingUpdate' | 'OnDelete';
export type RetentionPolicy = 'Retain' | 'Delete';
export interface Retention {
  whenScaled: RetentionPolicy;
  whenDeleted: RetentionPolicy;
}

export interface LabSettings extends LabNames {
  replicas: number;
  /** spec.ordinals.start; unset or 0: the pods are numbered from 0. */
  startOrdinal?: number | undefined;
  image: string;
  storageSize: string;
  storageClass?: string | undefined;
  podManagementPolicy: PodManagementPolicy;
  retention?: Retention | undefined;
  /** Unset: the server's default, RollingUpdate. */
  updateStrategy?: UpdateStrategy | undefined;
  /** The headless Service publishes DNS records for pods that are not Ready too. */
  publishNotReady?: boolean | undefined;
  /**
   * How long the pods stay bound to a node that is NotReady or unreachable before taint-based eviction deletes them;
   * unset: the cluster's default (the DefaultTolerationSeconds admission plugin's 300 s).
   */
  tolerationSeconds?: number | undefined;
}

// The fields of manifests/*.yaml that setup fills in; the rest is carried as it is written.
interface Meta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Meta;
}

export type NamespaceManifest = Manifest;

export interface ServiceManifest extends Manifest {
  spec: { selector: Record<string, string>; publishNotReadyAddresses?: boolean; clusterIP?: string };
}

export interface StatefulSetManifest extends Manifest {
  spec: {
    serviceName: string;
    replicas: number;
    ordinals?: { start: number };
    podManagementPolicy: PodManagementPolicy;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: { name: string; image: string }[]; tolerations?: Toleration[] };
    };
    volumeClaimTemplates: {
      metadata: { name: string };
      spec: { resources: { requests: { storage: string } }; storageClassName?: string };
    }[];
    persistentVolumeClaimRetentionPolicy?: Retention;
    updateStrategy?: { type: UpdateStrategy };
  };
}

export interface Toleration {
  key: string;
  operator: 'Exists';
  effect: 'NoExecute';
  tolerationSeconds: number;
}

export interface BudgetManifest extends Manifest {
  spec: { maxUnavailable: number; selector: { matchLabels: Record<string, string> } };
}

/** The NoExecute taints the node lifecycle controller puts on a node that stops answering or reports NotReady. */
const NODE_FAILURE_TAINTS = [NOT_READY_TAINT, UNREACHABLE_TAINT];

export interface LabObjects {
  namespace: NamespaceManifest;
  service: ServiceManifest;
  statefulSet: StatefulSetManifest;
}

export function renderManifests(src: ManifestSources, s: LabSettings): LabObjects {
  const namespace = parse(src.namespace) as NamespaceManifest;
  namespace.metadata.name = s.namespace;

  const service = parse(src.service) as ServiceManifest;
  service.metadata.name = s.service;
  service.metadata.namespace = s.namespace;
  service.metadata.labels.app = s.statefulSet;
  service.spec.selector = { app: s.statefulSet };
  if (s.publishNotReady) service.spec.publishNotReadyAddresses = true;

  const sts = parse(src.statefulset) as StatefulSetManifest;
  sts.metadata.name = s.statefulSet;
  sts.metadata.namespace = s.namespace;
  sts.metadata.labels.app = s.statefulSet;
  sts.spec.serviceName = s.service;
  sts.spec.replicas = s.replicas;
  if (s.startOrdinal) sts.spec.ordinals = { start: s.startOrdinal };
  sts.spec.podManagementPolicy = s.podManagementPolicy;
  sts.spec.selector.matchLabels = { app: s.statefulSet };
  sts.spec.template.metadata.labels.app = s.statefulSet;
  const [container] = sts.spec.template.spec.containers;
  const [claim] = sts.spec.volumeClaimTemplates;
  if (!container || !claim) throw new Error('manifests/statefulset.yaml needs a container and a claim template');
  container.image = s.image;
  claim.spec.resources.requests.storage = s.storageSize;
  if (s.storageClass) claim.spec.storageClassName = s.storageClass;
  if (s.retention) sts.spec.persistentVolumeClaimRetentionPolicy = { ...s.retention };
  if (s.updateStrategy === 'OnDelete') sts.spec.updateStrategy = { type: 'OnDelete' };
  if (s.tolerationSeconds !== undefined) {
    const seconds = s.tolerationSeconds;
    sts.spec.template.spec.tolerations = NODE_FAILURE_TAINTS.map((key) => ({
      key,
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: seconds,
    }));
  }

  const sent = [
    ...(sts.spec.ordinals ? ['ordinals'] : []),
    ...(sts.spec.persistentVolumeClaimRetentionPolicy ? ['persistentVolumeClaimRetentionPolicy'] : []),
  ];
  if (sent.length) sts.metadata.annotations = { ...sts.metadata.annotations, [SENT_FIELDS_ANNOTATION]: sent.join(',') };
  for (const o of [service, sts]) stampSpecHash(o);
  return { namespace, service, statefulSet: sts };
}

/** The lab's PodDisruptionBudget: at most one lab pod evicted at a time. */
export function renderBudget(src: ManifestSources, n: LabNames): BudgetManifest {
  const pdb = parse(src.poddisruptionbudget) as BudgetManifest;
  pdb.metadata.name = budgetName(n);
  pdb.metadata.namespace = n.namespace;
  pdb.metadata.labels.app = n.statefulSet;
  pdb.spec.selector.matchLabels = { app: n.statefulSet };
  return pdb;
}

/** A digest of what sts-lab asked for, so a re-run can tell "unchanged" without diffing server defaults. */
export function specHash(o: Manifest): string {
  const { annotations: _ignored, ...meta } = o.metadata;
  return createHash('sha256')
    .update(canonicalJson({ ...o, metadata: meta }))
    .digest('hex')
    .slice(0, 16);
}

function stampSpecHash(o: Manifest): void {
  o.metadata.annotations = { ...o.metadata.annotations, [SPEC_HASH_ANNOTATION]: specHash(o) };
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
