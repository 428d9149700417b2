// Where a PersistentVolume lets its pod run, read from the volume's required node affinity.
// Structural types keep this layer free of the client library.

interface Requirement {
  key?: string;
  operator?: string;
  values?: string[];
}

export interface VolumeLike {
  spec?: {
    nodeAffinity?: { required?: { nodeSelectorTerms?: { matchExpressions?: Requirement[] }[] } };
  };
}

/** Labels that name one node; local-path and local volumes pin with the first. */
const NODE_KEYS = new Set(['kubernetes.io/hostname', 'metadata.name']);

/**
 * The nodes a volume is pinned to: [] when it may be used anywhere (network storage, or affinity
 * to a zone rather than a node), null when the volume could not be read.
 */
export function volumeNodes(pv: VolumeLike | undefined): string[] | null {
  if (!pv) return null;
  const nodes = new Set<string>();
  for (const term of pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [])
    for (const r of term.matchExpressions ?? [])
      if (r.key && NODE_KEYS.has(r.key) && r.operator === 'In') for (const v of r.values ?? []) nodes.add(v);
  return [...nodes].sort();
}

/** How a table says where a volume lets its pod run. */
export const pinText = (nodes: string[] | null): string =>
  nodes === null ? 'unknown' : nodes.length ? nodes.join(',') : 'any node';
