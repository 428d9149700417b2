// The lab's objects as the API sees them: lookups and the few writes sts-lab makes.
import type { V1PersistentVolumeClaim, V1Pod, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import { appSelector, type LabNames } from '../lab/names.ts';
import type { Kube } from './client.ts';

export const findStatefulSet = (kube: Kube, n: LabNames): Promise<V1StatefulSet | undefined> =>
  kube.find((o) => kube.apps.readNamespacedStatefulSet({ name: n.statefulSet, namespace: n.namespace }, o));

export const findService = (kube: Kube, n: LabNames): Promise<V1Service | undefined> =>
  kube.find((o) => kube.core.readNamespacedService({ name: n.service, namespace: n.namespace }, o));

export async function listClaims(kube: Kube, n: LabNames): Promise<V1PersistentVolumeClaim[]> {
  const list = await kube.call((o) =>
    kube.core.listNamespacedPersistentVolumeClaim({ namespace: n.namespace, labelSelector: appSelector(n) }, o),
  );
  return list.items;
}

/** Sets spec.replicas through the scale subresource (what `kubectl scale` does). */
export async function scaleStatefulSet(kube: Kube, n: LabNames, replicas: number): Promise<void> {
  await kube.call((o) =>
    kube.apps.patchNamespacedStatefulSetScale(
      { name: n.statefulSet, namespace: n.namespace, body: [{ op: 'replace', path: '/spec/replicas', value: replicas }] },
      o,
    ),
  );
}

export async function listPods(kube: Kube, n: LabNames): Promise<V1Pod[]> {
  const list = await kube.call((o) => kube.core.listNamespacedPod({ namespace: n.namespace, labelSelector: appSelector(n) }, o));
  return list.items;
}
