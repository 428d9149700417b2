// A live view of the lab's pods: one informer, a per-ordinal index, and the arrival time of
// every change (evidence for the ordering analysis).
import type { V1Pod } from '@kubernetes/client-node';
import { appSelector, ordinalOf, type LabNames } from '../lab/names.ts';
import type { Observation } from '../lab/ordering.ts';
import { stageOf, type Stage } from '../lab/pods.ts';
import type { Kube } from './client.ts';
import { watch, type ChangeType, type Watched } from './informer.ts';
import { Changes } from './wait.ts';

/** One change as the watch delivered it, in the API server's commit order. */
export interface PodChange extends Observation {
  type: ChangeType;
  name: string;
  uid: string;
  stage: Stage;
  pod: V1Pod;
}

export class PodWatch {
  readonly changes = new Changes();
  readonly history: PodChange[] = [];
  private handle!: Watched<V1Pod>;
  /** True while the first list is delivered: those pods existed before sts-lab looked. */
  private listing = true;
  private readonly kube: Kube;
  readonly names: LabNames;

  private constructor(kube: Kube, names: LabNames) {
    this.kube = kube;
    this.names = names;
  }

  static async start(kube: Kube, names: LabNames): Promise<PodWatch> {
    const w = new PodWatch(kube, names);
    w.handle = await watch<V1Pod>(
      kube,
      {
        path: `/api/v1/namespaces/${names.namespace}/pods`,
        labelSelector: appSelector(names),
        list: (k) => k.core.listNamespacedPod({ namespace: names.namespace, labelSelector: appSelector(names) }, k.requestOptions()),
      },
      (type, pod) => w.record(type, pod),
    );
    w.listing = false;
    return w;
  }

  private record(type: ChangeType, pod: V1Pod): void {
    const name = pod.metadata?.name ?? '';
    const ordinal = ordinalOf(this.names, name);
    if (ordinal === undefined) return;
    this.history.push({ at: Date.now(), type, name, ordinal, uid: pod.metadata?.uid ?? '', stage: stageOf(pod), pod, initial: this.listing });
    this.changes.notify();
  }

  /** Pods of this StatefulSet by ordinal (other pods matching the label are ignored). */
  byOrdinal(): Map<number, V1Pod> {
    const out = new Map<number, V1Pod>();
    for (const p of this.handle.objects()) {
      const o = ordinalOf(this.names, p.metadata?.name ?? '');
      if (o !== undefined) out.set(o, p);
    }
    return out;
  }

  until(cond: (pods: Map<number, V1Pod>) => boolean, what: string, timeoutMs: number): Promise<void> {
    return this.changes.until(() => cond(this.byOrdinal()), {
      timeoutMs,
      interrupt: this.kube.interrupt,
      what,
      failed: this.handle.failed,
    });
  }

  stop(): void {
    this.handle.stop();
  }
}
