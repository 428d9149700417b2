// A live view of the lab's pods: one informer, a per-ordinal index, and the arrival time of
// every change (evidence for the ordering analysis).
import type { V1Pod } from '@kubernetes/client-node';
import { appSelector, ordinalOf, type LabNames } from '../lab/names.ts';
import { stageOf, type Stage } from '../lab/pods.ts';
import type { Kube } from './client.ts';
import { watch, type ChangeType, type Watched } from './informer.ts';
import { Changes } from './wait.ts';

export interface PodChange {
  /** Milliseconds since the epoch when sts-lab saw the change. */
  at: number;
  type: ChangeType;
  pod: string;
  ordinal: number;
  uid: string;
  stage: Stage;
}

export class PodWatch {
  readonly changes = new Changes();
  readonly history: PodChange[] = [];
  private handle!: Watched<V1Pod>;
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
    return w;
  }

  private record(type: ChangeType, pod: V1Pod): void {
    const name = pod.metadata?.name ?? '';
    const ordinal = ordinalOf(this.names, name);
    if (ordinal === undefined) return;
    this.history.push({ at: Date.now(), type, pod: name, ordinal, uid: pod.metadata?.uid ?? '', stage: stageOf(pod) });
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
