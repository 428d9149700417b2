// A lab on a cluster: one client bound to the lab's names and namespace, offering the
// operations the commands need, in four small interfaces (reading, following, changing, exec).
// Nothing outside src/k8s touches the client or its APIs.
import type {
  KubernetesObject,
  V1Namespace,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodTemplateSpec,
  V1Service,
  V1StatefulSet,
  V1StorageClass,
} from '@kubernetes/client-node';
import type { JournalEntry } from '../lessons/storage/judge.ts';
import type { Permission } from '../lab/permissions.ts';
import type { LabNames } from '../lab/names.ts';
import type { BudgetManifest } from '../lab/manifests.ts';
import { ensureNamespace, ensureService, ensureStatefulSet } from './apply.ts';
import type { Cluster, ExecOptions, ExecResult } from './cluster.ts';

import { clusterFacts, type ClusterFacts } from '../lab/cluster-facts.ts';
import { readJournal, recordInJournal } from './journal.ts';
import * as lab from './lab.ts';
import * as nodes from './nodes.ts';
import { PodWatch } from './pods.ts';
import { deniedPermissions, isDefaultClass, serverVersion, storageClasses } from './preflight.ts';
import { LabLists } from './shared.ts';
import * as teardown from './teardown.ts';

/** What a lab is: its names, the cluster it is on, and Ctrl-C. */
export interface LabIdentity {
  readonly names: LabNames;
  readonly context: string;
  readonly server: string;
  readonly interrupt: AbortSignal;
}

/** Reading the lab and the cluster around it: answered from the open watches when there are. */
export type LabReads = Pick<
  LabSession,
  | 'findStatefulSet'
  | 'findService'
  | 'findPod'
  | 'findClaim'
  | 'listPods'
  | 'listClaims'
  | 'endpointSlices'
  | 'readNamespace'
  | 'readJournal'
  | 'controllerRevisions'
  | 'serverVersion'
  | 'deniedPermissions'
  | 'storageClasses'
  | 'isDefaultClass'
  | 'clusterDnsService'
  | 'namespaceNames'
  | 'clusterFacts'
>;

/** Following the lab: the shared watches and the waits made of them. */
export type LabWatches = Pick<
  LabSession,
  | 'hold'
  | 'watchPods'
  | 'watchStatefulSet'
  | 'updateRevision'
  | 'waitForClaimOwner'
  | 'claimsGone'
  | 'statefulSetGone'
  | 'claimResized'
>;

/** Changing the lab, and removing only what sts-lab made. */
export type LabWrites = Pick<
  LabSession,
  | 'ensureNamespace'
  | 'ensureService'
  | 'ensureStatefulSet'
  | 'scaleStatefulSet'
  | 'resizeClaim'
  | 'patchTemplate'
  | 'restoreTemplate'
  | 'deletePod'
  | 'deletePods'
  | 'deleteStatefulSetWith'
  | 'recordInJournal'
  | 'deleteStatefulSet'
  | 'deleteService'
  | 'deleteClaims'
  | 'deleteOwnConfigMaps'
  | 'deleteOrphanPods'
  | 'foreignObjects'
  | 'deleteNamespace'
>;

/** The nodes around the lab and the disruptions it makes: cordons, taints, evictions, held pods. */
export type LabNodes = Pick<
  LabSession,
  | 'listNodes'
  | 'labCordons'
  | 'volumeAttachments'
  | 'watchNodes'
  | 'findVolume'
  | 'podsOnNode'
  | 'cordon'
  | 'uncordon'
  | 'taintOutOfService'
  | 'removeOutOfService'
  | 'ensureBudget'
  | 'watchBudget'
  | 'evict'
  | 'holdPod'
  | 'releasePod'
  | 'undoDisruptions'
>;

/** Running a command inside one of the lab's pods. */
export interface LabExec {
  exec(pod: string, command: string[], opts: ExecOptions): Promise<ExecResult>;
}

/** Everything a command may do with its lab. */
export type Lab = LabIdentity & LabReads & LabWatches & LabWrites & LabNodes & LabExec;

export class LabSession implements Lab {
  private readonly kube: Cluster;
  readonly names: LabNames;
  /** The watches every command of this process shares; reads are answered from them while open. */
  readonly lists: LabLists;
  /**
   * The newest resourceVersion of the StatefulSet this session knows of ('written' right after
   * its own write): the watch's copy answers a read only once it is at least that new.
   */
  private statefulSetVersion: bigint | 'written' | undefined;
  private journal: JournalEntry[] | undefined;
  private around: Promise<[string | null, V1StorageClass[] | undefined, V1Node[] | undefined]> | undefined;

  constructor(kube: Cluster, names: LabNames) {
    this.kube = kube;
    this.names = names;
    this.lists = new LabLists(kube, names);
  }

  /** Keeps the watches open across commands (a tour) until the returned function is called. */
  hold = () => this.lists.hold();

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
  findStatefulSet = async (): Promise<V1StatefulSet | undefined> => {
    const cached = this.lists.statefulSet.cached()?.find((s) => s.metadata?.name === this.names.statefulSet);
    const known = this.statefulSetVersion;
    if (cached && known !== 'written' && (known === undefined || versionOf(cached) >= known)) return cached;
    const sts = await lab.findStatefulSet(this.kube, this.names);
    this.statefulSetVersion = sts ? versionOf(sts) : undefined;
    return sts;
  };
  findService = () => lab.findService(this.kube, this.names);
  findPod = async (name: string) =>
    this.lists.pods.cached()?.find((p) => p.metadata?.name === name) ?? lab.findPod(this.kube, this.names, name);
  findClaim = async (name: string) =>
    this.lists.claims.cached()?.find((c) => c.metadata?.name === name) ?? lab.findClaim(this.kube, this.names, name);
  listPods = async () => this.lists.pods.cached() ?? lab.listPods(this.kube, this.names);
  listClaims = async () => this.lists.claims.cached() ?? lab.listClaims(this.kube, this.names);
  endpointSlices = () => lab.endpointSlices(this.kube, this.names);
  readNamespace = () => teardown.readNamespace(this.kube, this.names.namespace);
  /** What this session last wrote to the journal, or the journal as read now. */
  readJournal = async () => this.journal ?? readJournal(this.kube, this.names);
  controllerRevisions = (owner: string) => lab.controllerRevisions(this.kube, this.names, owner);

  // Following it
  watchPods = () => PodWatch.start(this.kube, this.lists, this.names);
  watchStatefulSet = () => this.lists.statefulSet.acquire();
  updateRevision = (generation: number, timeoutMs: number) => lab.updateRevision(this.lists, generation, timeoutMs);
  waitForClaimOwner = (stsUid: string, names: string[], timeoutMs: number) =>
    lab.waitForClaimOwner(this.lists, stsUid, names, timeoutMs);
  claimsGone = (ordinals: number[], timeoutMs: number) => lab.claimsGone(this.lists, this.names, ordinals, timeoutMs);
  claimResized = (name: string, done: (c: V1PersistentVolumeClaim) => boolean, timeoutMs: number) =>
    lab.claimResized(this.lists, name, done, timeoutMs);

  // Changing it
  ensureNamespace = (desired: V1Namespace, known?: V1Namespace | null) => ensureNamespace(this.kube, desired, known);
  ensureService = (desired: V1Service) => ensureService(this.kube, desired);
  ensureStatefulSet = (desired: V1StatefulSet) => this.writing(ensureStatefulSet(this.kube, desired));
  resizeClaim = (name: string, size: string) => lab.resizeClaim(this.kube, this.names, name, size);
  scaleStatefulSet = (replicas: number) => this.writing(lab.scaleStatefulSet(this.kube, this.names, replicas));
  patchTemplate = (current: V1StatefulSet, change: lab.TemplateChange) =>
    this.writing(lab.patchTemplate(this.kube, this.names, current, change));
  restoreTemplate = (template: V1PodTemplateSpec) => this.writing(lab.restoreTemplate(this.kube, this.names, template));
  deletePod = (name: string, force: boolean) => lab.deletePod(this.kube, this.names, name, force);
  deletePods = () => lab.deletePods(this.kube, this.names);
  deleteStatefulSetWith = (propagationPolicy: 'Orphan' | 'Background') =>
    this.writing(lab.deleteStatefulSetWith(this.kube, this.names, propagationPolicy));
  statefulSetGone = (timeoutMs: number) => lab.statefulSetGone(this.lists, this.names, timeoutMs);
  recordInJournal = async (entries: JournalEntry[]) => {
    this.journal = await recordInJournal(this.kube, this.names, entries);
  };
  exec = (pod: string, command: string[], opts: ExecOptions) =>
    this.kube.exec(this.names.namespace, pod, command, opts);

  // Removing it: only what sts-lab made
  deleteStatefulSet = () => this.writing(teardown.deleteStatefulSet(this.kube, this.names, this.findStatefulSet));
  deleteService = () => teardown.deleteService(this.kube, this.names);
  deleteClaims = async (keepReason?: string) =>
    teardown.deleteClaims(this.kube, this.names, await this.listClaims(), keepReason);
  deleteOwnConfigMaps = () => {
    this.journal = undefined;
    return teardown.deleteOwnConfigMaps(this.kube, this.names);
  };
  deleteOrphanPods = async () => teardown.deleteOrphanPods(this.kube, this.names, await this.listPods());
  foreignObjects = () => teardown.foreignObjects(this.kube, this.names.namespace);
  deleteNamespace = (timeoutMs: number) => teardown.deleteNamespace(this.kube, this.names.namespace, timeoutMs);

  // The nodes around it, and the disruptions it makes
  listNodes = () => nodes.listNodes(this.kube);
  /** The nodes this lab cordoned or tainted (none when nodes may not be read). */
  labCordons = async () =>
    nodes.markedNodes((await this.listNodes()) ?? [], this.names).map((node) => node.metadata?.name ?? '');
  volumeAttachments = () => nodes.volumeAttachments(this.kube);
  watchNodes = () => nodes.watchNodes(this.kube);
  findVolume = (name: string) => nodes.findVolume(this.kube, name);
  podsOnNode = (node: string) => nodes.podsOnNode(this.kube, node);
  cordon = (node: string) => nodes.cordon(this.kube, this.names, node);
  uncordon = (node: V1Node) => nodes.uncordon(this.kube, this.names, node);
  taintOutOfService = (node: string) => nodes.taintOutOfService(this.kube, this.names, node);
  removeOutOfService = (node: string) => nodes.removeOutOfService(this.kube, this.names, node);
  ensureBudget = (desired: BudgetManifest) => nodes.ensureBudget(this.kube, desired);
  watchBudget = () => nodes.watchBudget(this.kube, this.names);
  evict = (pod: string, dryRun: boolean) => nodes.evict(this.kube, this.names, pod, dryRun);
  holdPod = (pod: V1Pod) => nodes.holdPod(this.kube, this.names, pod);
  releasePod = (pod: V1Pod) => nodes.releasePod(this.kube, this.names, pod);
  /**
   * Removes every budget, cordon, taint and finalizer this lab added; after Ctrl-C (interrupted) on requests that
   * ignore it and end within 2.5 s, before the process exits.
   */
  undoDisruptions = async (interrupted = false) => {
    const kube = interrupted ? this.kube.afterInterrupt(2500) : this.kube;
    const pods = interrupted ? (this.lists.pods.cached() ?? []) : await this.listPods();
    return nodes.undoDisruptions(kube, this.names, pods);
  };

  // The cluster around it
  serverVersion = () => serverVersion(this.kube);
  deniedPermissions = (wanted: Permission[]) => deniedPermissions(this.kube, this.names.namespace, wanted);
  storageClasses = () => storageClasses(this.kube);
  isDefaultClass = (sc: V1StorageClass) => isDefaultClass(sc);
  clusterDnsService = () => lab.clusterDnsService(this.kube);
  /**
   * The cluster a verdict is proved on. The version, classes and nodes are read once a session; the StatefulSet each
   * time (answered from its watch when open). askedClass: --storage-class, when there is no StatefulSet yet.
   */
  clusterFacts = async (askedClass?: string): Promise<ClusterFacts> => {
    this.around ??= Promise.all([
      serverVersion(this.kube).catch(() => null),
      storageClasses(this.kube),
      nodes.listNodes(this.kube),
    ]);
    const [[version, classes, nodeList], sts] = await Promise.all([this.around, this.findStatefulSet()]);
    return clusterFacts({
      context: this.context,
      server: this.server,
      serverVersion: version,
      classes,
      askedClass,
      nodes: nodeList,
      statefulSet: sts,
    });
  };
  namespaceNames = () => lab.namespaceNames(this.kube);

  /**
   * A write to the StatefulSet: the watch's copy answers reads again once it is as new as the
   * write's answer (a scale's answer carries the StatefulSet's version too); until then, a GET.
   */
  private async writing<T>(write: Promise<T>): Promise<T> {
    this.statefulSetVersion = 'written';
    const answer = await write;
    const written = (answer as { object?: KubernetesObject } | undefined)?.object ?? answer;
    const version = (written as KubernetesObject | undefined)?.metadata?.resourceVersion;
    if (version) this.statefulSetVersion = versionOf(written as KubernetesObject);
    return answer;
  }
}

const versionOf = (o: KubernetesObject): bigint => {
  try {
    return BigInt(o.metadata?.resourceVersion ?? '0');
  } catch {
    return 0n;
  }
};
