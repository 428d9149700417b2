// kubectl-like tables: no borders, two spaces between columns, upper-case headers, no colour
// of cli-table3's own (it ignores NO_COLOR; cells are coloured by paint() instead).
import Table from 'cli-table3';

export interface Section {
  headers: string[];
  rows: string[][];
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

export function renderTable(section: Section, noHeaders: boolean): string {
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
