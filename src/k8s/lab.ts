// The lab's objects as the API sees them: lookups and the few writes sts-lab makes.
import type {
  V1ControllerRevision,
  V1EndpointSlice,
  V1Namespace,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodTemplateSpec,
  V1Scale,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import {
  appSelector,
  BROKEN_ANNOTATION,
  claimName,
  NEVER_READY_PROBE,
  SENT_FIELDS_ANNOTATION,
  UPDATED_AT_ANNOTATION,
  type LabNames,
} from '../lab/names.ts';
import { withSent } from '../lab/cluster-facts.ts';
import type { Cluster, JsonPatch } from './cluster.ts';
import { pathOf } from './paths.ts';
import type { LabLists } from './shared.ts';

export const findStatefulSet = (kube: Cluster, n: LabNames): Promise<V1StatefulSet | undefined> =>
  kube.find(pathOf('apps', 'statefulsets', n.namespace, n.statefulSet));

export const findService = (kube: Cluster, n: LabNames): Promise<V1Service | undefined> =>
  kube.find(pathOf('core', 'services', n.namespace, n.service));

export const listClaims = (kube: Cluster, n: LabNames): Promise<V1PersistentVolumeClaim[]> =>
  kube.list(pathOf('core', 'persistentvolumeclaims', n.namespace), { labelSelector: appSelector(n) });

/** Sets spec.replicas through the scale subresource (what `kubectl scale` does). */
export async function scaleStatefulSet(kube: Cluster, n: LabNames, replicas: number): Promise<V1Scale> {
  return kube.patch(pathOf('apps', 'statefulsets', n.namespace, n.statefulSet, 'scale'), [
    { op: 'replace', path: '/spec/replicas', value: replicas },
  ]);
}

export const listPods = (kube: Cluster, n: LabNames): Promise<V1Pod[]> =>
  kube.list(pathOf('core', 'pods', n.namespace), { labelSelector: appSelector(n) });

/** Deletes the lab's pods (watch-order --restart): the controller re-creates them in order. */
export async function deletePods(kube: Cluster, n: LabNames): Promise<void> {
  await kube.delete(pathOf('core', 'pods', n.namespace), { labelSelector: appSelector(n) });
}

/**
 * Follows the lab's claims until each that exists names the StatefulSet (by UID) as an owner, for at
 * most timeoutMs: the controller adds that ownerReference a moment after whenDeleted becomes Delete.
 * A claim never made (its pod refused by a quota, say) has nothing to wait for. Returns the claims as
 * they are then; the caller judges them.
 */
export async function waitForClaimOwner(
  lists: LabLists,
  stsUid: string,
  names: string[],
  timeoutMs: number,
): Promise<V1PersistentVolumeClaim[]> {
  const { list: live, release } = await lists.claims.acquire();
  const owned = () =>
    names.every((name) => {
      const claim = live.current().find((c) => c.metadata?.name === name);
      return !claim || claim.metadata?.ownerReferences?.some((r) => r.uid === stsUid) === true;
    });
  try {
    await live.until(owned, 'the claims to be owned by the StatefulSet', timeoutMs).catch(() => undefined);
    return live.objects();
  } finally {
    release();
  }
}

/** Waits until the claims of these ordinals are gone (the controller's whenScaled: Delete). */
export async function claimsGone(lists: LabLists, n: LabNames, ordinals: number[], timeoutMs: number): Promise<void> {
  const { list: live, release } = await lists.claims.acquire();
  const wanted = new Set(ordinals.map((o) => claimName(n, o)));
  try {
    await live.until(
      () => !live.current().some((c) => wanted.has(c.metadata?.name ?? '')),
      `the claims ${[...wanted].join(', ')} to be deleted`,
      timeoutMs,
    );
  } finally {
    release();
  }
}

export const findPod = (kube: Cluster, n: LabNames, name: string): Promise<V1Pod | undefined> =>
  kube.find(pathOf('core', 'pods', n.namespace, name));

export const findClaim = (kube: Cluster, n: LabNames, name: string): Promise<V1PersistentVolumeClaim | undefined> =>
  kube.find(pathOf('core', 'persistentvolumeclaims', n.namespace, name));

export async function deletePod(kube: Cluster, n: LabNames, name: string, force: boolean): Promise<void> {
  await kube.delete(pathOf('core', 'pods', n.namespace, name), force ? { gracePeriodSeconds: 0 } : undefined);
}

/** The EndpointSlices of the headless Service: where cluster DNS takes its per-pod records from. */
export const endpointSlices = (kube: Cluster, n: LabNames): Promise<V1EndpointSlice[]> =>
  kube.list(pathOf('discovery', 'endpointslices', n.namespace), {
    labelSelector: `kubernetes.io/service-name=${n.service}`,
  });

/**
 * kube-system's kube-dns Service (kind, minikube, k3s and most clouds name cluster DNS so):
 * its clusterIP, null when there is none, undefined when it cannot be read.
 */
export async function clusterDnsService(kube: Cluster): Promise<string | null | undefined> {
  try {
    const svc = await kube.find<V1Service>(pathOf('core', 'services', 'kube-system', 'kube-dns'));
    return svc ? (svc.spec?.clusterIP ?? null) : null;
  } catch {
    return undefined;
  }
}

/** Namespace names, for shell completion. */
export async function namespaceNames(kube: Cluster): Promise<string[]> {
  return (await kube.list<V1Namespace>(pathOf('core', 'namespaces')))
    .map((ns) => ns.metadata?.name ?? '')
    .filter(Boolean);
}

export interface TemplateChange {
  /** A new image, or (undefined) a bumped sts-lab annotation: a new revision without a pull. */
  image?: string | undefined;
  /** A readiness probe that never passes: the roll-out stalls at its first pod. */
  breakReadiness?: boolean;
  /** Only move the partition: continue a staged roll-out on the revision it has. */
  partitionOnly?: boolean;
  /** OnDelete has no partition: the strategy is left as it is. */
  onDelete?: boolean;
  partition: number;
  /** Kept by servers with the MaxUnavailableStatefulSet feature gate, dropped by the others. */
  maxUnavailable?: number | string | undefined;
  stamp: string;
}

/** The template change as JSON-patch operations; none when only the partition moves. */
function templateOps(current: V1StatefulSet, c: TemplateChange): JsonPatch {
  if (c.partitionOnly) return [];
  const ops: JsonPatch = [];
  if (c.image) ops.push({ op: 'replace', path: '/spec/template/spec/containers/0/image', value: c.image });
  if (c.breakReadiness)
    ops.push({ op: 'add', path: '/spec/template/spec/containers/0/readinessProbe', value: NEVER_READY_PROBE });
  const stamps = {
    ...(c.image ? {} : { [UPDATED_AT_ANNOTATION]: c.stamp }),
    ...(c.breakReadiness ? { [BROKEN_ANNOTATION]: `readiness probe on port ${NEVER_READY_PROBE.tcpSocket.port}` } : {}),
  };
  if (Object.keys(stamps).length)
    ops.push({
      op: 'add',
      path: '/spec/template/metadata/annotations',
      value: { ...current.spec?.template.metadata?.annotations, ...stamps },
    });
  return ops;
}

/** Changes the pod template and the RollingUpdate partition in one patch: one new revision. */
export async function patchTemplate(
  kube: Cluster,
  n: LabNames,
  current: V1StatefulSet,
  c: TemplateChange,
): Promise<V1StatefulSet> {
  const rollingUpdate = {
    partition: c.partition,
    ...(c.maxUnavailable === undefined ? {} : { maxUnavailable: c.maxUnavailable }),
  };
  const strategy: JsonPatch = c.onDelete
    ? []
    : [{ op: 'add', path: '/spec/updateStrategy', value: { type: 'RollingUpdate', rollingUpdate } }];
  // The sent-fields annotation, so a later command can tell a dropped maxUnavailable from one never sent.
  const sent: JsonPatch =
    c.maxUnavailable === undefined
      ? []
      : [
          {
            op: 'add',
            path: '/metadata/annotations',
            value: {
              ...current.metadata?.annotations,
              [SENT_FIELDS_ANNOTATION]: withSent(current, ['maxUnavailable']),
            },
          },
        ];
  const body = [...strategy, ...sent, ...templateOps(current, c)];
  return kube.patch(pathOf('apps', 'statefulsets', n.namespace, n.statefulSet), body);
}

/** The revision the controller rolls towards, once it has seen this generation of the StatefulSet. */
export async function updateRevision(lists: LabLists, generation: number, timeoutMs: number): Promise<string> {
  const { list: live, release } = await lists.statefulSet.acquire();
  try {
    const seen = () =>
      live.current().find((s) => (s.status?.observedGeneration ?? 0) >= generation && s.status?.updateRevision);
    await live.until(
      () => Boolean(seen()),
      `the StatefulSet controller to observe generation ${generation} (is kube-controller-manager running?)`,
      timeoutMs,
    );
    return seen()!.status!.updateRevision!;
  } finally {
    release();
  }
}

/** The StatefulSet's ControllerRevisions (those it owns), with the pod template each records. */
export async function controllerRevisions(
  kube: Cluster,
  n: LabNames,
  owner: string,
): Promise<{ name: string; revision: number; template: V1PodTemplateSpec | undefined }[]> {
  const revisions = await kube.list<V1ControllerRevision>(pathOf('apps', 'controllerrevisions', n.namespace), {
    labelSelector: appSelector(n),
  });
  return revisions
    .filter((r) => r.metadata?.ownerReferences?.some((ref) => ref.uid === owner))
    .map((r) => ({ name: r.metadata?.name ?? '', revision: r.revision, template: recordedTemplate(r.data) }));
}

/** A ControllerRevision's data is a strategic-merge patch: the template with "$patch": "replace". */
function recordedTemplate(data: unknown): V1PodTemplateSpec | undefined {
  const template = (data as { spec?: { template?: V1PodTemplateSpec & { $patch?: string } } } | undefined)?.spec
    ?.template;
  if (!template) return undefined;
  const { $patch: _directive, ...rest } = template;
  return rest;
}

/** Puts a recorded pod template back (rollback): the controller then rolls towards its revision. */
export async function restoreTemplate(kube: Cluster, n: LabNames, template: V1PodTemplateSpec): Promise<V1StatefulSet> {
  return kube.patch(pathOf('apps', 'statefulsets', n.namespace, n.statefulSet), [
    { op: 'replace', path: '/spec/template', value: template },
  ]);
}

/**
 * Deletes the StatefulSet and leaves its dependents: Orphan removes the StatefulSet's
 * ownerReferences from the pods (and revisions) instead of deleting them; Background deletes them
 * (a cascading delete, in no order).
 */
export async function deleteStatefulSetWith(
  kube: Cluster,
  n: LabNames,
  propagationPolicy: 'Orphan' | 'Background',
): Promise<void> {
  await kube.delete(pathOf('apps', 'statefulsets', n.namespace, n.statefulSet), { propagationPolicy });
}

/** Waits until the StatefulSet object is gone (finalizers, the garbage collector's orphaning, done). */
export async function statefulSetGone(lists: LabLists, n: LabNames, timeoutMs: number): Promise<void> {
  const { list: live, release } = await lists.statefulSet.acquire();
  try {
    await live.until(() => live.current().length === 0, `statefulset.apps/${n.statefulSet} to be deleted`, timeoutMs);
  } finally {
    release();
  }
}

/** Asks for a bigger volume: the claim's new request (the class must allow expansion). */
export async function resizeClaim(kube: Cluster, n: LabNames, name: string, size: string): Promise<void> {
  await kube.patch(pathOf('core', 'persistentvolumeclaims', n.namespace, name), [
    { op: 'replace', path: '/spec/resources/requests/storage', value: size },
  ]);
}

/**
 * Waits until the claim reports the new capacity and no resize left to do on the node; the live
 * reason is the claim's own resize condition (Resizing, FileSystemResizePending) or status.
 */
export async function claimResized(
  lists: LabLists,
  name: string,
  done: (c: V1PersistentVolumeClaim) => boolean,
  timeoutMs: number,
): Promise<V1PersistentVolumeClaim> {
  const { list: live, release } = await lists.claims.acquire();
  const claim = () => live.current().find((c) => c.metadata?.name === name);
  try {
    await live.until(
      () => Boolean(claim() && done(claim()!)),
      () => {
        const c = claim();
        const cond = c?.status?.conditions?.find((x) => x.status === 'True');
        const status = c?.status?.allocatedResourceStatuses?.storage;
        return `the volume of ${name} to be expanded (capacity ${c?.status?.capacity?.storage ?? '?'}${cond ? `, ${cond.type}${cond.message ? `: ${cond.message}` : ''}` : ''}${status ? `, ${status}` : ''})`;
      },
      timeoutMs,
    );
    return claim()!;
  } finally {
    release();
  }
}
