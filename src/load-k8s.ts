// The cluster layer is loaded on a command's first cluster call: --help, --version and usage
// errors never load client-node. This is the loader of the sources (tests run them); the
// bundle has its own, src/load-k8s.bundled.ts, which scripts/build.ts puts in this file's place.
import type * as K8s from './k8s/index.ts';

export type K8sLayer = typeof K8s;

export const loadK8s = (): Promise<K8sLayer> => import('./k8s/index.ts');
