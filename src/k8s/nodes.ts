// Nodes and disruptions around a lab: the node a pod runs on, its volume's node affinity,
// cordons, the out-of-service taint, evictions through the lab's budget, and the finalizer that
// holds a deleted pod. Every change to a node is marked with the lab's name, so uncordon,
// teardown and Ctrl-C undo only what this lab did.
import type {
  V1Node,
  V1PersistentVolume,
  V1PodDisruptionBudget,
  V1Pod,
  V1Taint,
  V1VolumeAttachment,
} from '@kubernetes/client-node';
import { CliError } from '../errors.ts';
import {
  budgetName,
  CORDONED_FOR_ANNOTATION,
  HOLD_FINALIZER,
  isManaged,
  labMark,
  OUT_OF_SERVICE_TAINT,
  TAINTED_FOR_ANNOTATION,
  type LabNames,
} from '../lab/names.ts';
import type { BudgetManifest } from '../lab/manifests.ts';
import type { Cluster, JsonPatch } from './cluster.ts';
import { httpCode, isConflict, unlessForbidden } from './errors.ts';
import { LiveList } from './live.ts';
import { pathOf } from './paths.ts';

const nodePath = (name?: string) => pathOf('core', 'nodes', undefined, name);
/** A JSON-pointer segment: '/' and '~' escaped. */
const pointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** Every node, or undefined when these credentials may not list them. */
export const listNodes = (kube: Cluster): Promise<V1Node[] | undefined> =>
  unlessForbidden(kube.list<V1Node>(nodePath()));

/** Follows every node (cluster-scoped: needs watch on nodes). */
export const watchNodes = (kube: Cluster): Promise<LiveList<V1Node>> =>
  LiveList.start<V1Node>(kube, { path: nodePath() });

/** A PersistentVolume, or undefined when it is absent or cannot be read (cluster-scoped). */
export const findVolume = (kube: Cluster, name: string): Promise<V1PersistentVolume | undefined> =>
  unlessForbidden(kube.find<V1PersistentVolume>(pathOf('core', 'persistentvolumes', undefined, name)));

/** Every pod on a node, in all namespaces; undefined when these credentials may not list them. */
export const podsOnNode = (kube: Cluster, node: string): Promise<V1Pod[] | undefined> =>
  unlessForbidden(kube.list<V1Pod>(pathOf('core', 'pods'), { fieldSelector: `spec.nodeName=${node}` }));

/** Marks the node unschedulable for this lab; false when it already was (someone else's cordon: left alone). */
export async function cordon(kube: Cluster, n: LabNames, node: string): Promise<boolean> {
  return retryOnConflict(async () => {
    const current = await kube.get<V1Node>(nodePath(node));
    if (current.spec?.unschedulable) return current.metadata?.annotations?.[CORDONED_FOR_ANNOTATION] === labMark(n);
    await kube.patch(nodePath(node), [
      { op: 'test', path: '/metadata/resourceVersion', value: current.metadata?.resourceVersion },
      ...annotate(current, CORDONED_FOR_ANNOTATION, labMark(n)),
      { op: 'add', path: '/spec/unschedulable', value: true },
    ]);
    return true;
  });
}

/** Makes the node schedulable again if this lab cordoned it; false when there was nothing of the lab's to undo. */
export async function uncordon(kube: Cluster, n: LabNames, node: V1Node): Promise<boolean> {
  if (node.metadata?.annotations?.[CORDONED_FOR_ANNOTATION] !== labMark(n)) return false;
  await retryOnConflict(() =>
    kube.patch(nodePath(node.metadata?.name), [
      { op: 'test', path: `/metadata/annotations/${pointer(CORDONED_FOR_ANNOTATION)}`, value: labMark(n) },
      { op: 'remove', path: `/metadata/annotations/${pointer(CORDONED_FOR_ANNOTATION)}` },
      { op: 'add', path: '/spec/unschedulable', value: false },
    ]),
  );
  return true;
}

/** Adds the out-of-service taint for this lab, once the node is NotReady (the caller checks). */
export async function taintOutOfService(kube: Cluster, n: LabNames, node: string): Promise<V1Taint> {
  return retryOnConflict(async () => {
    const current = await kube.get<V1Node>(nodePath(node));
    const taints = current.spec?.taints ?? [];
    const there = taints.find((t) => t.key === OUT_OF_SERVICE_TAINT.key);
    if (there) return there;
    const taint: V1Taint = { ...OUT_OF_SERVICE_TAINT, timeAdded: new Date() };
    await kube.patch(nodePath(node), [
      { op: 'test', path: '/metadata/resourceVersion', value: current.metadata?.resourceVersion },
      ...annotate(current, TAINTED_FOR_ANNOTATION, labMark(n)),
      { op: 'add', path: '/spec/taints', value: [...taints, taint] },
    ]);
    return taint;
  });
}

/** Removes the out-of-service taint if this lab added it; false when there was nothing of the lab's. */
export async function removeOutOfService(kube: Cluster, n: LabNames, node: string): Promise<boolean> {
  return retryOnConflict(async () => {
    const current = await kube.get<V1Node>(nodePath(node));
    if (current.metadata?.annotations?.[TAINTED_FOR_ANNOTATION] !== labMark(n)) return false;
    const taints = (current.spec?.taints ?? []).filter((t) => t.key !== OUT_OF_SERVICE_TAINT.key);
    await kube.patch(nodePath(node), [
      { op: 'test', path: '/metadata/resourceVersion', value: current.metadata?.resourceVersion },
      { op: 'remove', path: `/metadata/annotations/${pointer(TAINTED_FOR_ANNOTATION)}` },
      { op: 'add', path: '/spec/taints', value: taints },
    ]);
    return true;
  });
}

/** The nodes this lab cordoned or tainted, by its marks. */
export const markedNodes = (nodes: V1Node[], n: LabNames): V1Node[] =>
  nodes.filter((node) =>
    [CORDONED_FOR_ANNOTATION, TAINTED_FOR_ANNOTATION].some((a) => node.metadata?.annotations?.[a] === labMark(n)),
  );

const annotate = (node: V1Node, key: string, value: string): JsonPatch =>
  node.metadata?.annotations
    ? [{ op: 'add', path: `/metadata/annotations/${pointer(key)}`, value }]
    : [{ op: 'add', path: '/metadata/annotations', value: { [key]: value } }];

/** A node changes under us (heartbeats, the lifecycle controller's taints): read and patch again. */
async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      // A failed JSON-patch test is 422 (Invalid); a stale write is 409.
      if (i >= 5 || !(isConflict(err) || httpCode(err) === 422)) throw err;
    }
  }
}

/** The lab's budget, created when absent; refuses to use one of the same name that sts-lab did not make. */
export async function ensureBudget(kube: Cluster, desired: BudgetManifest): Promise<V1PodDisruptionBudget> {
  const path = pathOf('policy', 'poddisruptionbudgets', desired.metadata.namespace);
  try {
    return await kube.post<V1PodDisruptionBudget>(path, desired);
  } catch (err) {
    if (!isConflict(err)) throw err;
    const there = await kube.get<V1PodDisruptionBudget>(`${path}/${desired.metadata.name}`);
    if (!isManaged(there.metadata?.labels))
      throw new CliError(
        `poddisruptionbudget.policy/${desired.metadata.name} exists and was not made by sts-lab`,
        'delete or rename it, or use another --statefulset',
      );
    return there;
  }
}

/** Follows the lab's budget (the disruption controller fills in its status). */
export const watchBudget = (kube: Cluster, n: LabNames): Promise<LiveList<V1PodDisruptionBudget>> =>
  LiveList.start<V1PodDisruptionBudget>(kube, {
    path: pathOf('policy', 'poddisruptionbudgets', n.namespace),
    fieldSelector: `metadata.name=${budgetName(n)}`,
  });

/** Deletes the lab's budget if sts-lab made it; false when there was none of its own. */
export async function deleteBudget(kube: Cluster, n: LabNames): Promise<boolean> {
  const path = pathOf('policy', 'poddisruptionbudgets', n.namespace, budgetName(n));
  const there = await kube.find<V1PodDisruptionBudget>(path);
  if (!there || !isManaged(there.metadata?.labels)) return false;
  return (await kube.deleteIfThere(path)) !== undefined;
}

/** An eviction's answer: accepted, or refused with the server's own words (429: the budget). */
export type EvictionAnswer = { accepted: true } | { accepted: false; code: number | undefined; message: string };

/** Asks the Eviction API to evict a pod; dryRun asks whether the budget would allow it, changing nothing. */
export async function evict(kube: Cluster, n: LabNames, pod: string, dryRun: boolean): Promise<EvictionAnswer> {
  const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: n.namespace } };
  try {
    await kube.write('POST', pathOf('core', 'pods', n.namespace, pod, 'eviction'), body, {
      dryRun: dryRun ? 'All' : undefined,
    });
    return { accepted: true };
  } catch (err) {
    const code = httpCode(err);
    if (code !== 429 && code !== 500) throw err;
    return { accepted: false, code, message: refusal(err) };
  }
}

/** The refusal and its cause ("The disruption budget X needs 2 healthy pods and has 1 currently"). */
function refusal(err: unknown): string {
  const body = ((err as Error).cause as { body?: unknown } | undefined)?.body;
  try {
    const status = JSON.parse(String(body)) as { message?: string; details?: { causes?: { message?: string }[] } };
    const cause = status.details?.causes?.map((c) => c.message).find(Boolean);
    return [status.message, cause].filter(Boolean).join(' ');
  } catch {
    return (err as Error).message;
  }
}

/** Adds the hold finalizer to a pod: deleted, it stays Terminating until releasePod. */
export async function holdPod(kube: Cluster, n: LabNames, pod: V1Pod): Promise<void> {
  const finalizers = pod.metadata?.finalizers ?? [];
  if (finalizers.includes(HOLD_FINALIZER)) return;
  await kube.patch(pathOf('core', 'pods', n.namespace, pod.metadata?.name), [
    { op: 'test', path: '/metadata/uid', value: pod.metadata?.uid },
    { op: 'add', path: '/metadata/finalizers', value: [...finalizers, HOLD_FINALIZER] },
  ]);
}

/** Removes the hold finalizer from a pod that has it; false when it had none. */
export async function releasePod(kube: Cluster, n: LabNames, pod: V1Pod): Promise<boolean> {
  const finalizers = pod.metadata?.finalizers ?? [];
  const at = finalizers.indexOf(HOLD_FINALIZER);
  if (at < 0) return false;
  await kube.patch(pathOf('core', 'pods', n.namespace, pod.metadata?.name), [
    { op: 'test', path: `/metadata/finalizers/${at}`, value: HOLD_FINALIZER },
    { op: 'remove', path: `/metadata/finalizers/${at}` },
  ]);
  return true;
}

/** What undoDisruptions found of the lab's and removed, in kubectl's words. */
export async function undoDisruptions(kube: Cluster, n: LabNames, pods: readonly V1Pod[]): Promise<string[]> {
  const undone: string[] = [];
  for (const pod of pods)
    if (await releasePod(kube, n, pod))
      undone.push(`pod/${pod.metadata?.name ?? ''} finalizer ${HOLD_FINALIZER} removed`);
  // Credentials that may not read budgets made none.
  if (await unlessForbidden(deleteBudget(kube, n))) undone.push(`poddisruptionbudget.policy/${budgetName(n)} deleted`);
  for (const node of markedNodes((await listNodes(kube)) ?? [], n)) {
    const name = node.metadata?.name ?? '';
    if (await removeOutOfService(kube, n, name)) undone.push(`node/${name} untainted (${OUT_OF_SERVICE_TAINT.key})`);
    const fresh = await kube.get<V1Node>(nodePath(name));
    if (await uncordon(kube, n, fresh)) undone.push(`node/${name} uncordoned`);
  }
  return undone;
}

/** Every VolumeAttachment (CSI volumes that attach to a node), or undefined when they may not be listed. */
export const volumeAttachments = (kube: Cluster): Promise<V1VolumeAttachment[] | undefined> =>
  unlessForbidden(kube.list<V1VolumeAttachment>(pathOf('storage', 'volumeattachments')));
