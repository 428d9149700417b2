// When each pod of the StatefulSet reached each stage: the timeline table of watch-order
// and scale. Times come from the watch (ms) for what sts-lab saw happen, and from the API's
// own timestamps (s) for pods that already existed when it started watching.
import type { Observation } from './observation.ts';
import { condition, isReady, toDate, uidOf, type PodLike } from './pods.ts';

export interface TimelineRow {
  ordinal: number;
  pod: string;
  uid: string;
  /** ms since the epoch, or null if not reached. */
  created: number | null;
  scheduled: number | null;
  running: number | null;
  ready: number | null;
  /** created minus the previous ordinal's ready, ms. */
  afterPreviousReadyMs: number | null;
  /** 'watch' when sts-lab saw the pod being created, 'api' when it already existed. */
  source: 'watch' | 'api';
}

type Milestone = 'created' | 'scheduled' | 'running' | 'ready';

const reached: Record<Milestone, (p: PodLike) => boolean> = {
  created: () => true,
  scheduled: (p) => condition(p, 'PodScheduled')?.status === 'True',
  running: (p) => p.status?.phase === 'Running',
  ready: isReady,
};

const apiTime = (p: PodLike, m: Milestone): number | null => {
  const t =
    m === 'created'
      ? p.metadata?.creationTimestamp
      : m === 'scheduled'
        ? condition(p, 'PodScheduled')?.lastTransitionTime
        : m === 'ready'
          ? isReady(p)
            ? condition(p, 'Ready')?.lastTransitionTime
            : undefined
          : p.status?.containerStatuses?.[0]?.state?.running?.startedAt;
  return toDate(t)?.getTime() ?? null;
};

/** One row per ordinal, for the instance alive last (a killed pod's successor, say). */
export function buildTimeline(observations: Observation[], podName: (o: number) => string): TimelineRow[] {
  const lastUid = new Map<number, string>();
  for (const o of observations) if (o.type !== 'delete') lastUid.set(o.ordinal, uidOf(o.pod));
  const rows = [...lastUid.entries()]
    .sort(([a], [b]) => a - b)
    .map(([ordinal, uid]): TimelineRow => {
      const mine = observations.filter((o) => o.ordinal === ordinal && uidOf(o.pod) === uid && o.type !== 'delete');
      const source = mine[0]?.initial ? 'api' : 'watch';
      const when = (m: Milestone): number | null => {
        if (source === 'api') return apiTime(mine.at(-1)!.pod, m);
        return mine.find((o) => reached[m](o.pod))?.at ?? null;
      };
      return {
        ordinal,
        pod: podName(ordinal),
        uid,
        source,
        created: when('created'),
        scheduled: when('scheduled'),
        running: when('running'),
        ready: when('ready'),
        afterPreviousReadyMs: null,
      };
    });
  for (const [i, row] of rows.entries()) {
    const prev = rows[i - 1];
    if (prev && prev.ordinal === row.ordinal - 1 && prev.ready !== null && row.created !== null) {
      row.afterPreviousReadyMs = row.created - prev.ready;
    }
  }
  return rows;
}

export const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** A timeline row in -o json: instants as ISO 8601. */
export const timelineJson = (r: TimelineRow) => ({
  ...r,
  created: iso(r.created),
  scheduled: iso(r.scheduled),
  running: iso(r.running),
  ready: iso(r.ready),
});
