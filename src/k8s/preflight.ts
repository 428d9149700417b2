// Checks made before setup creates anything: is the API there, may we do what the lab
// needs, is there storage to bind the claims to.
import type { V1SelfSubjectAccessReview, V1SelfSubjectRulesReview, V1StorageClass } from '@kubernetes/client-node';
import { ruleAllows, type Permission, type ResourceRule } from '../lab/permissions.ts';
import { isDefaultClassLike } from '../lab/storage-classes.ts';
import type { Cluster } from './cluster.ts';
import { unlessForbidden } from './errors.ts';
import { pathOf } from './paths.ts';

export async function serverVersion(kube: Cluster): Promise<string> {
  const info = await kube.get<{ gitVersion: string }>('/version');
  return info.gitVersion;
}

/**
 * The wanted permissions these credentials lack. One SelfSubjectRulesReview answers the
 * namespaced ones; what it does not grant (or all, when the authorizer cannot list its rules)
 * and cluster-scoped ones, which a namespace's rules cannot prove, are asked one by one.
 */
export async function deniedPermissions(kube: Cluster, namespace: string, wanted: Permission[]): Promise<Permission[]> {
  const rules = await namespaceRules(kube, namespace);
  const unproved = wanted.filter((p) => p.clusterScoped || !rules?.some((r) => ruleAllows(r, p)));
  const answers = await Promise.all(unproved.map((p) => accessReview(kube, namespace, p)));
  return unproved.filter((_, i) => !answers[i]);
}

/** The RBAC rules that apply in the namespace, or undefined when the answer is incomplete. */
async function namespaceRules(kube: Cluster, namespace: string): Promise<ResourceRule[] | undefined> {
  const review = await kube.post<V1SelfSubjectRulesReview>(pathOf('authorization', 'selfsubjectrulesreviews'), {
    spec: { namespace },
  });
  return review.status?.incomplete ? undefined : review.status?.resourceRules;
}

async function accessReview(kube: Cluster, namespace: string, p: Permission): Promise<boolean> {
  const review = await kube.post<V1SelfSubjectAccessReview>(pathOf('authorization', 'selfsubjectaccessreviews'), {
    spec: {
      resourceAttributes: {
        verb: p.verb,
        resource: p.resource,
        group: p.group ?? '',
        subresource: p.subresource ?? '',
        ...(p.clusterScoped ? {} : { namespace }),
      },
    },
  });
  return review.status?.allowed === true;
}

export const isDefaultClass = isDefaultClassLike;

/** All StorageClasses, or undefined when these credentials may not list them. */
export const storageClasses = (kube: Cluster): Promise<V1StorageClass[] | undefined> =>
  unlessForbidden(kube.list<V1StorageClass>(pathOf('storage', 'storageclasses')));
