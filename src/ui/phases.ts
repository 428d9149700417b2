// How each pod spent the time sts-lab watched it: pending (scheduled, pulling, creating its
// container), running (not Ready yet), ready, terminating. Replayed from the watch in commit
// order, so a chart of it is drawn from the same evidence as the verdicts.
import type { Observation } from '../lab/observation.ts';
import { isReady, uidOf, type PodLike } from '../lab/pods.ts';

export type Phase = 'pending' | 'running' | 'ready' | 'terminating';
export const PHASES: Phase[] = ['pending', 'running', 'ready', 'terminating'];
export const PHASE_LABEL: Record<Phase, string> = {
  pending: 'pending/creating',
  running: 'running',
  ready: 'ready',
  terminating: 'terminating',
};

export interface PhaseSegment {
  phase: Phase;
  /** ms since the epoch (the watch's clock). */
  from: number;
  to: number;
  uid: string;
}

export interface PhaseRow {
  ordinal: number;
  pod: string;
  segments: PhaseSegment[];
}

export interface PhaseChart {
  /** What the chart shows, as a sentence ("Scale 3 → 5"). */
  title: string;
  origin: number;
  end: number;
  rows: PhaseRow[];
}

export function phaseOf(pod: PodLike): Phase {
  if (pod.metadata?.deletionTimestamp) return 'terminating';
  if (isReady(pod)) return 'ready';
  return pod.status?.phase === 'Running' ? 'running' : 'pending';
}

/** One row per ordinal the watch saw, lowest first; a pod still there at the end runs to `end`. */
export function phaseChart(
  title: string,
  history: Observation[],
  podName: (o: number) => string,
  o: { end?: number } = {},
): PhaseChart {
  const open = new Map<number, PhaseSegment>();
  const done = new Map<number, PhaseSegment[]>();
  const close = (ordinal: number, at: number) => {
    const s = open.get(ordinal);
    if (!s) return;
    open.delete(ordinal);
    if (at > s.from) done.set(ordinal, [...(done.get(ordinal) ?? []), { ...s, to: at }]);
  };
  for (const c of history) {
    const uid = uidOf(c.pod);
    const now = open.get(c.ordinal);
    if (c.type === 'delete') {
      if (now?.uid === uid) close(c.ordinal, c.at);
      continue;
    }
    const phase = phaseOf(c.pod);
    if (now?.uid === uid && now.phase === phase) continue;
    close(c.ordinal, c.at);
    open.set(c.ordinal, { phase, from: c.at, to: c.at, uid });
    if (!done.has(c.ordinal)) done.set(c.ordinal, []);
  }
  const end = Math.max(o.end ?? 0, ...history.map((c) => c.at));
  for (const ordinal of [...open.keys()]) close(ordinal, Math.max(end, (open.get(ordinal)?.from ?? end) + 1));
  const rows = [...done.entries()]
    .filter(([, s]) => s.length)
    .sort(([a], [b]) => a - b)
    .map(([ordinal, segments]) => ({ ordinal, pod: podName(ordinal), segments }));
  const origin = Math.min(...rows.flatMap((r) => r.segments.map((s) => s.from)), end);
  return { title, origin, end: Math.max(end, ...rows.flatMap((r) => r.segments.map((s) => s.to))), rows };
}
