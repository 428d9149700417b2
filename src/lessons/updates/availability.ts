// maxUnavailable, proved from the watch: replaying the stream tells how many of the
// StatefulSet's ordinals had no Ready pod at each committed change.
import type { Observation } from '../../lab/observation.ts';
import { isReady, type PodLike } from '../../lab/pods.ts';

export interface PeakUnavailable {
  /** The most ordinals without a Ready, non-terminating pod at once. */
  count: number;
  /** When that was first seen (the watch's clock), null when every pod stayed available. */
  at: number | null;
  ordinals: number[];
}

const available = (p: PodLike | undefined): boolean => Boolean(p && !p.metadata?.deletionTimestamp && isReady(p));

/** Counted from the first change after the initial list, when the watch knows every pod. */
export function peakUnavailable(history: Observation[], ordinals: number[]): PeakUnavailable {
  const now = new Map<number, PodLike>();
  let peak: PeakUnavailable = { count: 0, at: null, ordinals: [] };
  for (const c of history) {
    if (c.type === 'delete') now.delete(c.ordinal);
    else now.set(c.ordinal, c.pod);
    if (c.initial) continue;
    const down = ordinals.filter((i) => !available(now.get(i)));
    if (down.length > peak.count) peak = { count: down.length, at: c.at, ordinals: down };
  }
  return peak;
}

/**
 * The controller's reading of maxUnavailable: a count, or a percentage of replicas rounded
 * down, and never below 1 (getStatefulSetMaxUnavailable).
 */
export function effectiveMaxUnavailable(value: number | string | undefined, replicas: number): number {
  if (value === undefined) return 1;
  const n =
    typeof value === 'number'
      ? value
      : /^\d+%$/.test(value)
        ? Math.floor((Number.parseInt(value, 10) * replicas) / 100)
        : Number(value);
  return Math.max(1, Number.isFinite(n) ? n : 1);
}
