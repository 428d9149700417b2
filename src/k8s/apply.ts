// Idempotent create for the lab's objects: create when absent, leave alone when sts-lab's
// own copy is unchanged, update it when the settings changed, refuse to touch anything
// sts-lab did not create. A create is tried first: on a new lab that is the only request.
import type { KubernetesObject, V1Namespace, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import { CliError } from '../errors.ts';
import { isManaged, SPEC_HASH_ANNOTATION } from '../lab/names.ts';
import type { Cluster } from './cluster.ts';
import { httpCode, isConflict, isForbidden } from './errors.ts';
import { pathOf } from './paths.ts';

export type ApplyAction = 'created' | 'unchanged' | 'configured' | 'exists';

export interface Applied<T extends KubernetesObject = KubernetesObject> {
  kind: string;
  name: string;
  action: ApplyAction;
  detail: string;
  /** The object as the server kept it, when this answer carries it (not after a reconcile). */
  object?: T | undefined;
}

interface Accessor<T extends KubernetesObject> {
  kind: string;
  read(): Promise<T | undefined>;
  create(body: T): Promise<T>;
  replace(body: T): Promise<T>;
  /** Brings back what changed outside the spec hash; says what it did, or nothing. */
  reconcile?: (current: T) => Promise<string | undefined>;
}

async function ensure<T extends KubernetesObject>(a: Accessor<T>, desired: T): Promise<Applied<T>> {
  const name = desired.metadata!.name!;
  const base = { kind: a.kind, name };
  try {
    return { ...base, action: 'created', detail: '', object: await a.create(desired) };
  } catch (err) {
    if (!isConflict(err)) throw err; // AlreadyExists
  }
  const current = await a.read();
  if (!current)
    throw new CliError(
      `${a.kind} "${name}" exists and then did not: another client is changing the lab; run setup again`,
    );
  if (!isManaged(current.metadata?.labels)) {
    throw new CliError(
      `${a.kind} "${name}" already exists in namespace "${desired.metadata!.namespace}" and was not created by sts-lab`,
      'sts-lab never modifies objects it did not create: choose another name (--name / --service / -n) or remove that object yourself',
    );
  }
  const want = desired.metadata!.annotations?.[SPEC_HASH_ANNOTATION];
  if (current.metadata?.annotations?.[SPEC_HASH_ANNOTATION] === want) {
    const reconciled = await a.reconcile?.(current);
    return reconciled
      ? { ...base, action: 'configured', detail: reconciled }
      : { ...base, action: 'unchanged', detail: '', object: current };
  }
  let replaced: T;
  try {
    replaced = await a.replace({
      ...desired,
      metadata: { ...desired.metadata, resourceVersion: current.metadata?.resourceVersion },
    });
  } catch (err) {
    if (httpCode(err) === 422) {
      throw new CliError(
        `${a.kind} "${name}" exists with settings that cannot be changed in place: ${(err as Error).message}`,
        'run `kubectl sts-lab teardown` first, then setup again',
      );
    }
    throw err;
  }
  return { ...base, action: 'configured', detail: 'settings changed', object: replaced };
}

/** `known`: the namespace as just read (null: absent), so that it is not read twice; undefined: read it now. */
export async function ensureNamespace(
  kube: Cluster,
  desired: V1Namespace,
  known?: V1Namespace | null,
): Promise<Applied> {
  const name = desired.metadata!.name!;
  if (known === null) {
    try {
      await kube.post(pathOf('core', 'namespaces'), desired);
      return { kind: 'namespace', name, action: 'created', detail: '' };
    } catch (err) {
      if (!isConflict(err)) throw err; // made meanwhile: judged as it is now
    }
  }
  let current: V1Namespace | undefined = known ?? undefined;
  try {
    current ??= await kube.find<V1Namespace>(pathOf('core', 'namespaces', undefined, name));
  } catch (err) {
    // A namespace-scoped user cannot read the Namespace object; the lab can still live in it.
    if (isForbidden(err)) {
      return { kind: 'namespace', name, action: 'exists', detail: 'not readable with these credentials' };
    }
    throw err;
  }
  if (!current) {
    await kube.post(pathOf('core', 'namespaces'), desired);
    return { kind: 'namespace', name, action: 'created', detail: '' };
  }
  if (current.status?.phase === 'Terminating') {
    throw new CliError(
      `namespace "${name}" is being deleted`,
      'wait until it is gone (kubectl get namespace ' + name + '), then run setup again',
    );
  }
  return isManaged(current.metadata?.labels)
    ? { kind: 'namespace', name, action: 'unchanged', detail: '' }
    : { kind: 'namespace', name, action: 'exists', detail: 'not created by sts-lab; will be kept at teardown' };
}

export function ensureService(kube: Cluster, desired: V1Service): Promise<Applied<V1Service>> {
  const { name, namespace } = desired.metadata as { name: string; namespace: string };
  return ensure<V1Service>(
    {
      kind: 'service',
      read: () => kube.find(pathOf('core', 'services', namespace, name)),
      create: (body) => kube.post(pathOf('core', 'services', namespace), body),
      replace: (body) => kube.put(pathOf('core', 'services', namespace, name), body),
    },
    desired,
  );
}

export function ensureStatefulSet(kube: Cluster, desired: V1StatefulSet): Promise<Applied<V1StatefulSet>> {
  const { name, namespace } = desired.metadata as { name: string; namespace: string };
  return ensure<V1StatefulSet>(
    {
      kind: 'statefulset.apps',
      read: () => kube.find(pathOf('apps', 'statefulsets', namespace, name)),
      create: (body) => kube.post(pathOf('apps', 'statefulsets', namespace), body),
      replace: (body) => kube.put(pathOf('apps', 'statefulsets', namespace, name), body),
      // `scale` goes through the scale subresource and leaves the spec hash as it was; so does the
      // template `update` changes, which setup leaves alone rather than roll the pods back.
      reconcile: async (current) => {
        const [was, want] = [current.spec?.replicas ?? 1, desired.spec?.replicas ?? 1];
        if (was === want) return undefined;
        await kube.patch(pathOf('apps', 'statefulsets', namespace, name, 'scale'), [
          { op: 'replace', path: '/spec/replicas', value: want },
        ]);
        return `replicas ${was} → ${want}`;
      },
    },
    desired,
  );
}
