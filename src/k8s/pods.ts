// A live view of the lab's pods: the shared pods watch, a per-ordinal index, and every change
// since this view opened, in the order the API server committed it (evidence for the ordering analysis).
import type { V1Pod } from '@kubernetes/client-node';
import { byOrdinal, ordinalOf, type LabNames } from '../lab/names.ts';
import type { Observation } from '../lab/observation.ts';
import { stageOf, type Stage } from '../lab/pods.ts';
import type { Cluster } from './cluster.ts';
import type { ChangeType } from './informer.ts';
import type { LiveList } from './live.ts';
import type { LabLists } from './shared.ts';
import { StallWatch } from './stalls.ts';

export interface PodChange extends Observation {
  type: ChangeType;
  name: string;
  uid: string;
  stage: Stage;
  pod: V1Pod;
}

export class PodWatch {
  readonly history: PodChange[] = [];
  readonly names: LabNames;
  private list!: LiveList<V1Pod>;
  private release!: () => void;
  /** Why the pods are not getting where a wait wants them (events, claims, logs). */
  stalls!: StallWatch;
  /** byOrdinal() as of a version of the list: every wait asks it at every change, one task per pod. */
  private indexed: { version: number; pods: ReadonlyMap<number, V1Pod> } | undefined;

  private constructor(names: LabNames) {
    this.names = names;
  }

  static async start(kube: Cluster, lists: LabLists, names: LabNames): Promise<PodWatch> {
    const w = new PodWatch(names);
    const lease = await lists.pods.acquire();
    w.list = lease.list;
    // What the watch holds now existed before this command looked.
    for (const pod of w.list.objects()) w.record('add', pod, true);
    const unsubscribe = w.list.onChange((type, pod) => w.record(type, pod, false));
    w.release = () => {
      unsubscribe();
      lease.release();
    };
    w.stalls = await StallWatch.start(kube, lists, names, w, w.list.changes);
    return w;
  }

  get changes() {
    return this.list.changes;
  }

  /** initial: the pod existed before this view opened. */
  private record(type: ChangeType, pod: V1Pod, initial: boolean): void {
    const name = pod.metadata?.name ?? '';
    const ordinal = ordinalOf(this.names, name);
    if (ordinal === undefined) return;
    this.history.push({
      at: Date.now(),
      type,
      name,
      ordinal,
      uid: pod.metadata?.uid ?? '',
      stage: stageOf(pod),
      pod,
      initial,
    });
  }

  /** Pods of this StatefulSet by ordinal (other pods matching the label are ignored). */
  byOrdinal(): ReadonlyMap<number, V1Pod> {
    const version = this.list.version;
    if (this.indexed?.version !== version) this.indexed = { version, pods: byOrdinal(this.names, this.list.current()) };
    return this.indexed.pods;
  }

  /** Changes when the pods do. */
  get version(): number {
    return this.list.version;
  }

  /** Pods seen going away while watching, in the order the API reported it. */
  deletions(): PodChange[] {
    const seen = new Set<string>();
    return this.history.filter((c) => c.type === 'delete' && !seen.has(c.uid) && seen.add(c.uid));
  }

  until(
    cond: (pods: ReadonlyMap<number, V1Pod>) => boolean,
    what: string | (() => string),
    timeoutMs: number,
  ): Promise<void> {
    return this.list.until(() => cond(this.byOrdinal()), what, timeoutMs);
  }

  /**
   * Follows the pods until cond holds (true) or until no pod changed for quietMs (false: an
   * observation, not a failure); only a cluster that keeps changing runs into timeoutMs.
   */
  async untilDoneOrQuiet(
    cond: (pods: ReadonlyMap<number, V1Pod>) => boolean,
    quietMs: number,
    timeoutMs: number,
  ): Promise<boolean> {
    let seen = this.history.length;
    let lastChange = Date.now();
    const tick = setInterval(() => this.changes.notify(), 250);
    try {
      await this.until(
        (pods) => {
          if (this.history.length !== seen) [seen, lastChange] = [this.history.length, Date.now()];
          return cond(pods) || Date.now() - lastChange >= quietMs;
        },
        'the pods to settle',
        timeoutMs,
      );
    } finally {
      clearInterval(tick);
    }
    return cond(this.byOrdinal());
  }

  stop(): void {
    this.stalls.stop();
    this.release();
  }
}
