// Deletes what setup made, and only that: an object without sts-lab's managed-by label is
// reported as kept, never deleted.
import type {
  KubernetesListObject,
  KubernetesObject,
  V1ConfigMap,
  V1Namespace,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import {
  isLabClaim,
  isManaged,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  ownedSelector,
  type LabNames,
} from '../lab/names.ts';
import { isOrphan } from '../lessons/orphan/judge.ts';
import type { Cluster } from './cluster.ts';
import { httpCode, isForbidden } from './errors.ts';
import { findService } from './lab.ts';
import { LiveList } from './live.ts';
import { pathOf } from './paths.ts';
import { absent, deleted, kept, notOurs, type Removal } from '../lab/removal.ts';

export type { Removal } from '../lab/removal.ts';

interface Deletable<T extends KubernetesObject> {
  resource: string;
  read(): Promise<T | undefined>;
  /** Undefined when the object was already gone (404): read from a watch, it may just have been deleted. */
  remove(): Promise<unknown>;
}

async function deleteOwn<T extends KubernetesObject>(d: Deletable<T>, keepReason?: string): Promise<Removal> {
  const current = await d.read();
  if (!current) return absent(d.resource);
  if (!isManaged(current.metadata?.labels)) return notOurs(d.resource);
  if (keepReason) return kept(d.resource, keepReason);
  const removed = await d.remove();
  return removed === undefined ? absent(d.resource) : deleted(d.resource);
}

export const deleteStatefulSet = (
  kube: Cluster,
  n: LabNames,
  read: () => Promise<V1StatefulSet | undefined>,
): Promise<Removal> =>
  deleteOwn({
    resource: `statefulset.apps/${n.statefulSet}`,
    read,
    remove: () => kube.deleteIfThere(pathOf('apps', 'statefulsets', n.namespace, n.statefulSet)),
  });

/**
 * One DELETE of the collection that holds just what sts-lab may delete: its label, and when named,
 * that name. The server deletes only what matches, so a foreign object is never at risk, and no
 * read comes first. Undefined when the server or these credentials allow no collection delete.
 */
async function deleteLabelled<T extends KubernetesObject>(
  kube: Cluster,
  collection: string,
  labelSelector: string,
  name?: string,
): Promise<T[] | undefined> {
  try {
    const query = { labelSelector, ...(name ? { fieldSelector: `metadata.name=${name}` } : {}) };
    return (await kube.delete<KubernetesListObject<T>>(collection, query)).items;
  } catch (err) {
    if (isForbidden(err) || httpCode(err) === 405) return undefined;
    throw err;
  }
}

const MANAGED = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

/** Deleted by name and label in one request; read only when it was not (absent, or not sts-lab's). */
export async function deleteService(kube: Cluster, n: LabNames): Promise<Removal> {
  const resource = `service/${n.service}`;
  const gone = await deleteLabelled<V1Service>(kube, pathOf('core', 'services', n.namespace), MANAGED, n.service);
  if (gone?.length) return deleted(resource);
  return deleteOwn({
    resource,
    read: () => findService(kube, n),
    remove: () => kube.deleteIfThere(pathOf('core', 'services', n.namespace, n.service)),
  });
}

/**
 * The claims made from the lab's claim template (other claims with the label are not the lab's).
 * When every claim that carries sts-lab's labels is one of them, one DELETE of that collection
 * removes them all; otherwise, or without the deletecollection permission, one DELETE each.
 */
export async function deleteClaims(
  kube: Cluster,
  n: LabNames,
  all: V1PersistentVolumeClaim[],
  keepReason?: string,
): Promise<Removal[]> {
  const claims = all.filter((c) => isLabClaim(n, c.metadata?.name ?? ''));
  const ours = claims.filter((c) => isManaged(c.metadata?.labels));
  const onlyLabClaimsLabelled = all.filter((c) => isManaged(c.metadata?.labels)).length === ours.length;
  if (!keepReason && ours.length > 1 && onlyLabClaimsLabelled) {
    if (await deleteLabelled(kube, pathOf('core', 'persistentvolumeclaims', n.namespace), ownedSelector(n))) {
      return claims.map((c) => (ours.includes(c) ? deleted(claimResource(c)) : notOurs(claimResource(c))));
    }
  }
  return Promise.all(
    claims.map((c) =>
      deleteOwn(
        {
          resource: claimResource(c),
          read: async () => c,
          remove: () => kube.deleteIfThere(pathOf('core', 'persistentvolumeclaims', n.namespace, c.metadata!.name)),
        },
        keepReason,
      ),
    ),
  );
}

const claimResource = (c: V1PersistentVolumeClaim): string => `persistentvolumeclaim/${c.metadata!.name}`;

/** Lab pods no controller owns (left by `orphan`): sts-lab made them, and nothing else will remove them. */
export async function deleteOrphanPods(kube: Cluster, n: LabNames, pods: V1Pod[]): Promise<Removal[]> {
  const orphans = pods.filter(isOrphan);
  return Promise.all(
    orphans.map(async (p) => ({
      ...(await deleteOwn({
        resource: `pod/${p.metadata!.name}`,
        read: async () => p,
        remove: () => kube.deleteIfThere(pathOf('core', 'pods', n.namespace, p.metadata!.name)),
      })),
      detail: 'orphaned: no StatefulSet owned it',
    })),
  );
}

/** The ConfigMaps sts-lab made for this lab (the journal): one collection delete, or a list and one delete each. */
export async function deleteOwnConfigMaps(kube: Cluster, n: LabNames): Promise<Removal[]> {
  const collection = pathOf('core', 'configmaps', n.namespace);
  const removed = await deleteLabelled<V1ConfigMap>(kube, collection, ownedSelector(n));
  if (removed) return removed.map((m) => deleted(`configmap/${m.metadata?.name ?? ''}`));
  const maps = await kube.list<V1ConfigMap>(collection, { labelSelector: ownedSelector(n) });
  return Promise.all(
    maps.map((m) =>
      deleteOwn({
        resource: `configmap/${m.metadata!.name}`,
        read: async () => m,
        remove: () => kube.deleteIfThere(pathOf('core', 'configmaps', n.namespace, m.metadata!.name)),
      }),
    ),
  );
}

/** The namespace object; 'unreadable' when these credentials may not read it. */
export async function readNamespace(kube: Cluster, name: string): Promise<V1Namespace | undefined | 'unreadable'> {
  try {
    return await kube.find<V1Namespace>(pathOf('core', 'namespaces', undefined, name));
  } catch {
    return 'unreadable';
  }
}

const SYSTEM_OBJECTS = new Set(['configmap/kube-root-ca.crt', 'serviceaccount/default']);

/** Objects in the namespace that sts-lab did not create: their presence keeps the namespace. */
export async function foreignObjects(kube: Cluster, namespace: string): Promise<string[]> {
  const labelSelector = `${MANAGED_BY_LABEL}!=${MANAGED_BY_VALUE}`;
  const list = (group: 'core' | 'apps', resource: string, fieldSelector?: string) =>
    kube.list<KubernetesObject>(pathOf(group, resource, namespace), { labelSelector, fieldSelector });
  const lists: [string, Promise<KubernetesObject[]>][] = [
    ['pod', list('core', 'pods')],
    ['service', list('core', 'services')],
    ['configmap', list('core', 'configmaps')],
    ['secret', list('core', 'secrets', 'type!=kubernetes.io/service-account-token')],
    ['persistentvolumeclaim', list('core', 'persistentvolumeclaims')],
    ['serviceaccount', list('core', 'serviceaccounts')],
    ['statefulset.apps', list('apps', 'statefulsets')],
    ['deployment.apps', list('apps', 'deployments')],
    ['daemonset.apps', list('apps', 'daemonsets')],
  ];
  const found: string[] = [];
  for (const [kind, pending] of lists) {
    for (const item of await pending) {
      const ref = `${kind}/${item.metadata?.name}`;
      if (!SYSTEM_OBJECTS.has(ref)) found.push(ref);
    }
  }
  return found;
}

/** Deletes the namespace and waits until the API no longer has it (a re-run of setup needs that). */
export async function deleteNamespace(kube: Cluster, name: string, timeoutMs: number): Promise<void> {
  const fieldSelector = `metadata.name=${name}`;
  const live = await LiveList.start<V1Namespace>(kube, { path: pathOf('core', 'namespaces'), fieldSelector });
  try {
    if (live.current().length) await kube.deleteIfThere(pathOf('core', 'namespaces', undefined, name));
    await live.until(() => live.current().length === 0, `namespace ${name} to be deleted`, timeoutMs);
  } finally {
    live.stop();
  }
}
