// The cells of the tables commands print: pods with their claims, and the timeline of a watch.
import type { PodRow } from '../lab/pod-rows.ts';
import type { TimelineRow } from '../lab/timeline.ts';
import { pinText } from '../lab/volumes.ts';
import type { Section } from './table.ts';

const dash = (v: string | null | undefined): string => (v === null || v === undefined || v === '' ? '<none>' : v);

/** An ISO 8601 instant of -o json back in ms, for relative(). */
export const instant = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/** "+4.2s" relative to the first creation in the table. */
export function relative(t: number | null, origin: number): string {
  if (t === null) return '-';
  const s = (t - origin) / 1000;
  return `${s >= 0 ? '+' : ''}${s.toFixed(1)}s`;
}

export const timelineSection = (rows: TimelineRow[]): Section => ({
  headers: TIMELINE_HEADERS,
  rows: timelineCells(rows),
  wide: ['ordinal', 'scheduled', 'running'],
});

const TIMELINE_HEADERS = ['ordinal', 'pod', 'created', 'scheduled', 'running', 'ready', 'Δ after previous ready'];

function timelineCells(rows: TimelineRow[]): string[][] {
  const origin = Math.min(...rows.map((r) => r.created ?? Infinity));
  return rows.map((r) => [
    String(r.ordinal),
    r.pod,
    relative(r.created, origin),
    relative(r.scheduled, origin),
    relative(r.running, origin),
    relative(r.ready, origin),
    r.afterPreviousReadyMs === null ? '-' : `${(r.afterPreviousReadyMs / 1000).toFixed(1)}s`,
  ]);
}

export const podSection = (rows: PodRow[]): Section => ({
  headers: POD_HEADERS,
  rows: rows.map(podCells),
  wide: ['ip', 'node', 'pv', 'volume node'],
});

const POD_HEADERS = ['ordinal', 'pod', 'phase', 'ready', 'ip', 'node', 'pvc', 'pvc status', 'pv', 'volume node'];

export const podCells = (r: PodRow): string[] => [
  String(r.ordinal),
  r.pod,
  r.phase,
  r.ready ? 'true' : 'false',
  dash(r.ip),
  dash(r.node),
  r.pvc,
  dash(r.pvcStatus),
  dash(r.pv),
  r.pv ? pinText(r.volumeNodes) : '<none>',
];
