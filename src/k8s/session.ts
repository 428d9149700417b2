// A lab on a cluster: one client bound to the lab's names and namespace, offering the
// operations the commands need. Nothing outside src/k8s touches the client or its APIs.
import type { V1Namespace, V1PodTemplateSpec, V1Service, V1StatefulSet, V1StorageClass } from '@kubernetes/client-node';
import type { JournalEntry } from '../lab/persistence.ts';
import type { Permission } from '../lab/permissions.ts';
import type { LabNames } from '../lab/names.ts';
import { ensureNamespace, ensureService, ensureStatefulSet } from './apply.ts';
import type { Kube } from './client.ts';
import { execInPod, type ExecOptions } from './exec.ts';
import { readJournal, recordInJournal } from './journal.ts';
import * as lab from './lab.ts';
import { PodWatch } from './pods.ts';
import { deniedPermissions, isDefaultClass, serverVersion, storageClasses } from './preflight.ts';
import * as teardown from './teardown.ts';

export class LabSession {
  readonly kube: Kube;
  readonly names: LabNames;

  constructor(kube: Kube, names: LabNames) {
    this.kube = kube;
    this.names = names;
  }

  get context(): string {
    return this.kube.contextName;
  }

  get server(): string {
    return this.kube.server;
  }

  /** Aborted on Ctrl-C. */
  get interrupt(): AbortSignal {
    return this.kube.interrupt;
  }

  // Reading the lab
  findStatefulSet = () => lab.findStatefulSet(this.kube, this.names);
  findService = () => lab.findService(this.kube, this.names);
  findPod = (name: string) => lab.findPod(this.kube, this.names, name);
  findClaim = (name: string) => lab.findClaim(this.kube, this.names, name);
  listPods = () => lab.listPods(this.kube, this.names);
  listClaims = () => lab.listClaims(this.kube, this.names);
  endpointSlices = () => lab.endpointSlices(this.kube, this.names);
  readNamespace = () => teardown.readNamespace(this.kube, this.names.namespace);
  readJournal = () => readJournal(this.kube, this.names);
  controllerRevisions = (owner: string) => lab.controllerRevisions(this.kube, this.names, owner);

  // Following it
  watchPods = () => PodWatch.start(this.kube, this.names);
  watchStatefulSet = () => lab.watchStatefulSet(this.kube, this.names);
  updateRevision = (generation: number, timeoutMs: number) => lab.updateRevision(this.kube, this.names, generation, timeoutMs);
  waitForClaimOwner = (stsUid: string, names: string[], timeoutMs: number) => lab.waitForClaimOwner(this.kube, this.names, stsUid, names, timeoutMs);
  claimsGone = (ordinals: number[], timeoutMs: number) => lab.claimsGone(this.kube, this.names, ordinals, timeoutMs);

  // Changing it
  ensureNamespace = (desired: V1Namespace) => ensureNamespace(this.kube, desired);
  ensureService = (desired: V1Service) => ensureService(this.kube, desired);
  ensureStatefulSet = (desired: V1StatefulSet) => ensureStatefulSet(this.kube, desired);
  scaleStatefulSet = (replicas: number) => lab.scaleStatefulSet(this.kube, this.names, replicas);
  patchTemplate = (current: V1StatefulSet, change: lab.TemplateChange) => lab.patchTemplate(this.kube, this.names, current, change);
  restoreTemplate = (template: V1PodTemplateSpec) => lab.restoreTemplate(this.kube, this.names, template);
  deletePod = (name: string, force: boolean) => lab.deletePod(this.kube, this.names, name, force);
  deletePods = () => lab.deletePods(this.kube, this.names);
  deleteStatefulSetWith = (propagationPolicy: 'Orphan' | 'Background') => lab.deleteStatefulSetWith(this.kube, this.names, propagationPolicy);
  statefulSetGone = (timeoutMs: number) => lab.statefulSetGone(this.kube, this.names, timeoutMs);
  recordInJournal = (entries: JournalEntry[]) => recordInJournal(this.kube, this.names, entries);
  exec = (pod: string, command: string[], opts: ExecOptions) => execInPod(this.kube, this.names.namespace, pod, command, opts);

  // Removing it: only what sts-lab made
  deleteStatefulSet = () => teardown.deleteStatefulSet(this.kube, this.names);
  deleteService = () => teardown.deleteService(this.kube, this.names);
  deleteClaims = (keepReason?: string) => teardown.deleteClaims(this.kube, this.names, keepReason);
  deleteOwnConfigMaps = () => teardown.deleteOwnConfigMaps(this.kube, this.names);
  deleteOrphanPods = () => teardown.deleteOrphanPods(this.kube, this.names);
  foreignObjects = () => teardown.foreignObjects(this.kube, this.names.namespace);
  deleteNamespace = (timeoutMs: number) => teardown.deleteNamespace(this.kube, this.names.namespace, timeoutMs);

  // The cluster around it
  serverVersion = () => serverVersion(this.kube);
  deniedPermissions = (wanted: Permission[]) => deniedPermissions(this.kube, this.names.namespace, wanted);
  storageClasses = () => storageClasses(this.kube);
  isDefaultClass = (sc: V1StorageClass) => isDefaultClass(sc);
  clusterDnsService = () => lab.clusterDnsService(this.kube);
  namespaceNames = () => lab.namespaceNames(this.kube);
}
