// The cluster layer's front door, loaded with import() so that --help, --version and
// usage errors never load the client library.
export { connect, contextNames, type Kube } from './client.ts';
export { ensureNamespace, ensureService, ensureStatefulSet, type Applied } from './apply.ts';
export { claimsGone, clusterDnsService, deletePod, endpointSlices, deletePods, findClaim, findPod, findService, findStatefulSet, listClaims, listPods, namespaceNames, scaleStatefulSet, watchStatefulSet } from './lab.ts';
export type { LiveList } from './live.ts';
export { PodWatch, type PodChange } from './pods.ts';
export { deniedPermissions, isDefaultClass, serverVersion, storageClasses } from './preflight.ts';
export { deleteClaims, deleteNamespace, deleteOwnConfigMaps, deleteService, deleteStatefulSet, foreignObjects, readNamespace, type Removal } from './teardown.ts';
export type { V1Pod, V1StatefulSet } from '@kubernetes/client-node';
export { execInPod, type ExecResult } from './exec.ts';
export { readJournal, recordInJournal } from './journal.ts';
