// What the lab needs to be allowed to do in its namespace, checked before anything is created.

export interface Permission {
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
  /** Cluster-scoped resources are checked without a namespace. */
  clusterScoped?: boolean;
}

export const LAB_PERMISSIONS: Permission[] = [
  { verb: 'create', resource: 'statefulsets', group: 'apps' },
  { verb: 'update', resource: 'statefulsets', group: 'apps' },
  { verb: 'patch', resource: 'statefulsets', group: 'apps', subresource: 'scale' },
  { verb: 'watch', resource: 'pods' },
  { verb: 'delete', resource: 'pods' },
  { verb: 'create', resource: 'pods', subresource: 'exec' },
  { verb: 'list', resource: 'persistentvolumeclaims' },
  { verb: 'delete', resource: 'persistentvolumeclaims' },
  { verb: 'create', resource: 'services' },
  { verb: 'create', resource: 'configmaps' },
];

export const CREATE_NAMESPACE: Permission = { verb: 'create', resource: 'namespaces', clusterScoped: true };

export function describePermission(p: Permission): string {
  const res = p.group ? `${p.resource}.${p.group}` : p.resource;
  return `${p.verb} ${p.subresource ? `${res}/${p.subresource}` : res}`;
}

export function missingPermissionsMessage(denied: Permission[], namespace: string): string {
  return `missing permissions in namespace "${namespace}": ${denied.map(describePermission).join(', ')}`;
}

export const PERMISSIONS_HINT =
  'ask a cluster admin for the "edit" role in that namespace (kubectl create rolebinding sts-lab --clusterrole=edit --user=YOU -n NAMESPACE), or use -n with a namespace you own';

/** One rule of a SelfSubjectRulesReview, as RBAC states it. */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[] | undefined;
  resources?: string[] | undefined;
  resourceNames?: string[] | undefined;
}

/**
 * Whether a rule grants a namespaced permission on every object (RBAC's own matching: '*' is
 * any verb, group or resource, subresources included; '*∕exec' is exec of any resource). A rule
 * limited to some resourceNames does not grant the lab's creates and lists.
 */
export function ruleAllows(rule: ResourceRule, p: Permission): boolean {
  const resource = p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
  const groups = rule.apiGroups ?? [];
  const resources = rule.resources ?? [];
  return (
    (rule.verbs.includes('*') || rule.verbs.includes(p.verb)) &&
    (groups.includes('*') || groups.includes(p.group ?? '')) &&
    (resources.includes('*') ||
      resources.includes(resource) ||
      (p.subresource !== undefined && resources.includes(`*/${p.subresource}`))) &&
    !rule.resourceNames?.length
  );
}

/** drain and its simulation: the budget and the Eviction API, in the lab's namespace (the edit role has them). */
export const BUDGET_PERMISSIONS: Permission[] = [
  { verb: 'create', resource: 'poddisruptionbudgets', group: 'policy' },
  { verb: 'delete', resource: 'poddisruptionbudgets', group: 'policy' },
  { verb: 'create', resource: 'pods', subresource: 'eviction' },
];

/** Reading nodes: where a pod runs, whether its node answers. Cluster-scoped. */
export const NODE_READ_PERMISSIONS: Permission[] = [
  { verb: 'list', resource: 'nodes', clusterScoped: true },
  { verb: 'watch', resource: 'nodes', clusterScoped: true },
];

/** Cordons and the out-of-service taint. Cluster-scoped: usually cluster-admin only. */
export const NODE_WRITE_PERMISSIONS: Permission[] = [{ verb: 'patch', resource: 'nodes', clusterScoped: true }];

/** The hold simulation: a finalizer on the lab's own pod. */
export const HOLD_PERMISSIONS: Permission[] = [{ verb: 'patch', resource: 'pods' }];

/** A one-line refusal naming the cluster-scoped permission a node lesson lacks, and the simulation that needs none. */
export function nodeRightsMessage(what: string, denied: Permission[]): string {
  return `cannot ${what}: missing ${denied.length > 1 ? 'permissions' : 'permission'} ${denied.map(describePermission).join(', ')} (cluster-scoped)`;
}
