// kubectl-like tables: no borders, two spaces between columns, upper-case headers, no colour
// of cli-table3's own (it ignores NO_COLOR; cells are coloured by paint() instead).
import Table from 'cli-table3';
import { visibleWidth, wrapWords } from './width.ts';

export interface Section {
  headers: string[];
  rows: string[][];
  /** Columns (by header) shown only with -o wide, as kubectl keeps IP and NODE for it. */
  wide?: string[];
  /** Cells long by nature, shortened by default (a PV name, a revision hash); -o wide shows them whole. */
  short?: Record<string, (cell: string) => string>;
}

const UUID = /\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

/** A UID, or a PV named after one (pvc-<uid>), by its first 8 digits, as short hashes are read. */
export const shortUids = (cell: string): string => cell.replace(UUID, '$1…');

/** DNS names without the cluster's domain: within the namespace its search domains complete them. */
export const shortDnsNames = (cell: string): string => cell.replaceAll('.svc.cluster.local', '');

/** A revision by its hash (nginx-sts-57cf7dcfcf → 57cf7dcfcf), as the StatefulSet's pods differ by it. */
export const shortRevision = (cell: string): string => /-([0-9a-z]{6,12})$/.exec(cell)?.[1] ?? cell;

/** The section as printed: all of it with -o wide; otherwise without the wide columns, long cells shortened. */
export function narrowed(section: Section, wide: boolean): Section {
  if (wide) return section;
  const keep = section.headers.map((h) => !section.wide?.includes(h));
  const cell = section.headers.map((h) => {
    const own = section.short?.[h];
    return (c: string) => shortUids(own ? own(c) : c);
  });
  const pick = <T>(row: T[]) => row.filter((_, i) => keep[i]);
  return {
    headers: pick(section.headers),
    rows: section.rows.map((r) => pick(r.map((c, i) => cell[i]!(c)))),
  };
}

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/**
 * The table for a terminal `width` wide (-o wide: as wide as it is): the widest columns take
 * turns giving up a column until it fits, their cells wrapped at spaces, never inside a word.
 */
export function renderTable(section: Section, noHeaders: boolean, wide = true, width = Infinity): string {
  section = narrowed(section, wide);
  if (!wide) section = fitted(section, noHeaders, width);
  const table = new Table({
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    ...(noHeaders ? {} : { head: section.headers.map((h) => h.toUpperCase()) }),
  });
  for (const row of section.rows) table.push(row);
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

const words = (cell: string) => cell.split(/\s+/).filter(Boolean);

function fitted(section: Section, noHeaders: boolean, width: number): Section {
  if (!section.rows.length) return section;
  const heads = noHeaders ? section.headers.map(() => '') : section.headers;
  const columns = heads.map((h, i) => ({ head: visibleWidth(h), cells: section.rows.map((r) => r[i] ?? '') }));
  const natural = columns.map((c) => Math.max(c.head, ...c.cells.map(visibleWidth)));
  // A header is never wrapped, a word never broken.
  const least = columns.map((c) => Math.max(1, c.head, ...c.cells.flatMap(words).map(visibleWidth)));
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (total() > width) {
    const i = widths.reduce((best, w, k) => (w - least[k]! > 0 && w > (widths[best] ?? -1) ? k : best), -1);
    if (i < 0 || widths[i]! <= least[i]!) break;
    widths[i]!--;
  }
  if (widths.every((w, i) => w === natural[i])) return section;
  const wrap = (cell: string, i: number) =>
    visibleWidth(cell) <= widths[i]! ? cell : wrapWords(words(cell), widths[i]!).join('\n');
  return { headers: section.headers, rows: section.rows.map((r) => r.map(wrap)) };
}
