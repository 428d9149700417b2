// A cascading delete, from the watch: deleting a StatefulSet with its pods (propagationPolicy
// Background) lets the garbage collector delete every pod at once, in no order; a scale to 0
// first is what makes them go from the highest ordinal down.
import { formatDuration } from '../../lab/duration.ts';
import type { Observation } from '../../lab/observation.ts';
import { verdict, type Verdict } from '../../lab/verdict.ts';

export interface CascadeRow {
  pod: string;
  ordinal: number;
  /** ms since the epoch (the watch's clock). */
  terminating: number | null;
  gone: number | null;
}

export function cascadeRows(history: Observation[], podName: (o: number) => string): CascadeRow[] {
  const ordinals = [...new Set(history.map((c) => c.ordinal))].sort((a, b) => a - b);
  return ordinals.map((ordinal) => {
    const mine = history.filter((c) => c.ordinal === ordinal && !c.initial);
    return {
      pod: podName(ordinal),
      ordinal,
      terminating: mine.find((c) => Boolean(c.pod.metadata?.deletionTimestamp) || c.type === 'delete')?.at ?? null,
      gone: mine.find((c) => c.type === 'delete')?.at ?? null,
    };
  });
}

/** PASS when the evidence shows no order: every pod began terminating before any was gone. */
export function analyseCascade(rows: CascadeRow[]): Verdict<never> {
  const starts = rows.map((r) => r.terminating).filter((t): t is number => t !== null);
  const ends = rows.map((r) => r.gone).filter((t): t is number => t !== null);
  const why = [
    'A StatefulSet deleted with its pods hands them to the garbage collector, which deletes them all at once: no ordinal waits for another. teardown scales to 0 first, so the controller removes them from the highest ordinal down, each after the one above is gone.',
  ];
  if (rows.length < 2 || starts.length < rows.length || ends.length < rows.length)
    return verdict('N/A', 'Cascading delete: too few pods seen going to judge an order', why);
  const together = Math.max(...starts) < Math.min(...ends);
  return together
    ? verdict(
        'PASS',
        `Cascading delete has no order: all ${rows.length} pods began terminating within ${formatDuration(Math.max(...starts) - Math.min(...starts))}, before any was gone`,
        why,
      )
    : verdict(
        'N/A',
        'Cascading delete: the pods happened to go one after another this time; no order is promised either way',
        why,
      );
}
