// Names the StatefulSet controller derives from the lab settings: these rules are the
// "stable identity" the lab teaches, so they live in one place.

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'sts-lab';
export const CLAIM_TEMPLATE = 'data';
/** The scenario's names; the storage smoke test keeps out of its namespace, so a learner's lab there is left alone. */
export const DEFAULT_NAMES = { namespace: 'scenarios', statefulSet: 'nginx-sts', service: 'nginx-headless' } as const;
export const SMOKE_NAMESPACE = 'sts-lab-smoke';
export const MOUNT_PATH = '/usr/share/nginx/html';
export const CLUSTER_DOMAIN = 'cluster.local';
/** The pod-template annotation `update` bumps: a template change that needs no image pull. */
export const UPDATED_AT_ANNOTATION = 'sts-lab/updated-at';
/**
 * What setup last applied, as a hash of the object's spec (src/lab/manifests.ts): an unchanged object is not written
 * again.
 */
export const SPEC_HASH_ANNOTATION = 'sts-lab/spec-hash';
/**
 * The optional StatefulSet fields sts-lab sent (maxUnavailable, ordinals, the retention policy), so any later command
 * can tell a field the server dropped from one never sent.
 */
export const SENT_FIELDS_ANNOTATION = 'sts-lab/sent-fields';
/** `update --break`: a readiness probe on a port nothing listens on, so the new pod never becomes Ready. */
export const BROKEN_ANNOTATION = 'sts-lab/broken';
/** The finalizer node-failure --simulate holds a deleted pod with: a kubelet that never confirms. */
export const HOLD_FINALIZER = 'sts-lab.dev/hold';
/** On a node sts-lab cordoned or tainted, naming the lab (namespace/statefulset): only those it undoes. */
export const CORDONED_FOR_ANNOTATION = 'sts-lab/cordoned-for';
export const TAINTED_FOR_ANNOTATION = 'sts-lab/out-of-service-for';
/** The taint of non-graceful node shutdown: pod GC force-deletes the pods of a NotReady node that has it. */
export const OUT_OF_SERVICE_TAINT = {
  key: 'node.kubernetes.io/out-of-service',
  value: 'nodeshutdown',
  effect: 'NoExecute',
};
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const labMark = (n: LabNames): string => `${n.namespace}.${n.statefulSet}`;
export const budgetName = (n: LabNames): string => `${n.statefulSet}-budget`;
export const NEVER_READY_PROBE = { tcpSocket: { port: 1 }, periodSeconds: 2 };

export interface LabNames {
  namespace: string;
  statefulSet: string;
  service: string;
  /** The claim template (--claim, or the one a StatefulSet not made by sts-lab has); default data. */
  claim?: string | undefined;
  /** The pods' label selector, for a StatefulSet not made by sts-lab; default app=<statefulSet>. */
  selector?: string | undefined;
}

export const claimTemplate = (n: LabNames): string => n.claim ?? CLAIM_TEMPLATE;

export const podName = (n: LabNames, ordinal: number): string => `${n.statefulSet}-${ordinal}`;

export const claimName = (n: LabNames, ordinal: number): string => `${claimTemplate(n)}-${podName(n, ordinal)}`;

export const podDnsName = (n: LabNames, ordinal: number): string =>
  `${podName(n, ordinal)}.${n.service}.${n.namespace}.svc.${CLUSTER_DOMAIN}`;

export const serviceDnsName = (n: LabNames): string => `${n.service}.${n.namespace}.svc.${CLUSTER_DOMAIN}`;

/** The claims the StatefulSet made from its template: data-<statefulset>-<ordinal>, nothing else. */
export const isLabClaim = (n: LabNames, name: string): boolean => {
  const prefix = `${claimTemplate(n)}-`;
  const ordinal = name.startsWith(prefix) ? ordinalOf(n, name.slice(prefix.length)) : undefined;
  return ordinal !== undefined && name === claimName(n, ordinal);
};

/** Objects of this lab that sts-lab itself made (the journal). */
export const ownedSelector = (n: LabNames): string => `${appSelector(n)},${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

/** The pod selector: the label the manifests put on pods, PVCs and the Service, or another StatefulSet's own. */
export const appSelector = (n: LabNames): string => n.selector ?? `app=${n.statefulSet}`;

/** Ordinal of a pod of this StatefulSet, or undefined for any other name. */
export function ordinalOf(n: LabNames, pod: string): number | undefined {
  const prefix = `${n.statefulSet}-`;
  if (!pod.startsWith(prefix)) return undefined;
  const rest = pod.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

/** Objects of this StatefulSet by ordinal; anything else with a matching label is left out. */
export function byOrdinal<T extends { metadata?: { name?: string } }>(
  n: LabNames,
  objects: Iterable<T>,
): Map<number, T> {
  const out = new Map<number, T>();
  for (const o of objects) {
    const ordinal = ordinalOf(n, o.metadata?.name ?? '');
    if (ordinal !== undefined) out.set(ordinal, o);
  }
  return out;
}

export const isManaged = (labels: Record<string, string> | undefined): boolean =>
  labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
