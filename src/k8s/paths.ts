// The REST paths of what sts-lab reads and writes: /api/v1 for the core group, /apis/GROUP/v1 for the others.
const PREFIX = {
  core: '/api/v1',
  apps: '/apis/apps/v1',
  storage: '/apis/storage.k8s.io/v1',
  discovery: '/apis/discovery.k8s.io/v1',
  authorization: '/apis/authorization.k8s.io/v1',
  policy: '/apis/policy/v1',
} as const;

type Group = keyof typeof PREFIX;

/** A collection (no name) or one object; namespace undefined for cluster-scoped resources. */
export function pathOf(
  group: Group,
  resource: string,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  const parts = [
    PREFIX[group],
    ...(namespace ? ['namespaces', namespace] : []),
    resource,
    ...(name ? [name] : []),
    ...(subresource ? [subresource] : []),
  ];
  return parts.map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join('/');
}
