// Which StorageClass is the cluster's default: the annotation, in its GA and beta spellings.
const DEFAULT_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

export const isDefaultClassLike = (sc: { metadata?: { annotations?: Record<string, string> } }): boolean =>
  DEFAULT_ANNOTATIONS.some((a) => sc.metadata?.annotations?.[a] === 'true');
