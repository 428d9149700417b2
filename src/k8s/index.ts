// The cluster layer's front door, loaded with import() so that --help, --version and
// usage errors never load the client library. Commands work through a LabSession.
export { connect, contextNames, type Kube } from './client.ts';
export type { Applied } from './apply.ts';
export type { LiveList } from './live.ts';
export { PodWatch, type PodChange } from './pods.ts';
export {
  LabSession,
  type Lab,
  type LabExec,
  type LabNodes,
  type LabReads,
  type LabWatches,
  type LabWrites,
} from './session.ts';
export { Cluster } from './cluster.ts';
export type { Removal } from './teardown.ts';
export type {
  V1Namespace,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1PodDisruptionBudget,
  V1Pod,
  V1StatefulSet,
} from '@kubernetes/client-node';
export type { EvictionAnswer } from './nodes.ts';
export type { ExecResult } from './exec.ts';
