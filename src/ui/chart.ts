// The timeline as a picture on the terminal: a row per pod, time along the x axis scaled to the
// width, a glyph per phase (so it reads without colour), an axis in seconds, a legend.
import { PHASE_LABEL, type Phase, type PhaseChart } from './phases.ts';
import { paint } from './color.ts';
import { wrapLine } from './width.ts';

const GLYPH: Record<Phase, string> = { pending: '░', running: '▒', ready: '█', terminating: '╳' };
const COLOUR = { pending: 'yellow', running: 'cyan', ready: 'green', terminating: 'red' } as const;
const STEPS_S = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800];

/** The chart's lines for a terminal `columns` wide; empty when there is nothing to draw. */
export function renderChart(c: PhaseChart, columns: number): string[] {
  if (!c.rows.length) return [];
  const label = Math.max(...c.rows.map((r) => r.pod.length));
  // One column to spare: a terminal wraps a line that fills its last column.
  const width = Math.max(20, Math.min(columns, 160) - label - 3);
  const span = Math.max(1, c.end - c.origin);
  const cell = (t: number) => Math.min(width - 1, Math.max(0, Math.floor(((t - c.origin) / span) * width)));
  const lines = wrapLine(c.title, label + 2 + width);
  for (const r of c.rows) {
    const cells = new Array<Phase | null>(width).fill(null);
    // Later segments paint over earlier ones, and even the shortest gets one cell.
    for (const s of r.segments)
      for (let i = cell(s.from); i <= Math.max(cell(s.from), cell(s.to) - 1); i++) cells[i] = s.phase;
    lines.push(
      `${r.pod.padEnd(label)} │${cells
        .map((p) => (p ? paint(COLOUR[p], GLYPH[p]) : ' '))
        .join('')
        .trimEnd()}`,
    );
  }
  lines.push(...axis(label, width, span), ...legend(label + 2, label + 2 + width));
  return lines;
}

/** The glyphs and their phases, on as many lines as the chart's width needs. */
function legend(indent: number, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = indent;
  for (const p of Object.keys(GLYPH) as Phase[]) {
    const entry = `${paint(COLOUR[p], GLYPH[p])} ${PHASE_LABEL[p]}`;
    const length = 2 + PHASE_LABEL[p].length;
    if (line && used + 3 + length > columns) {
      lines.push(line);
      line = '';
      used = indent;
    }
    line += line ? `   ${entry}` : `${' '.repeat(indent)}${entry}`;
    used += (used > indent ? 3 : 0) + length;
  }
  return [...lines, line];
}

/** "└────┬────┬" and the seconds under each tick, at a round step that leaves room for the labels; 0 is the corner. */
function axis(label: number, width: number, spanMs: number): string[] {
  const seconds = spanMs / 1000;
  const step = STEPS_S.find((s) => (seconds / s) * 8 <= width) ?? STEPS_S[STEPS_S.length - 1]!;
  const ruler = Array(width).fill('─');
  // The labels stay under the ruler: one that would run past its end is left out.
  const marks = Array(width + 1).fill(' ');
  for (let t = 0; t <= seconds + 1e-9; t += step) {
    const at = Math.min(width - 1, Math.round((t / seconds) * width));
    if (t > 0) ruler[at] = '┬';
    const text = `${Number(t.toFixed(1))}s`;
    const col = t > 0 ? at + 1 : 0;
    if (col + text.length <= marks.length) marks.splice(col, text.length, ...text);
  }
  return [`${' '.repeat(label + 1)}└${ruler.join('')}`, `${' '.repeat(label + 1)}${marks.join('').trimEnd()}`];
}
