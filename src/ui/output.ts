// Prints a command's report on stdout: tables and verdict lines, or the data as JSON/YAML.
import type { ClusterFacts } from '../lab/cluster-facts.ts';
import type { TestCase } from './junit.ts';
import type { PhaseChart } from './phases.ts';
import type { OutputFormat } from '../options.ts';
import type { Section } from './table.ts';

export interface Report<T = unknown> {
  /** The stable, documented shape behind -o json|yaml. */
  data: T;
  sections: Section[];
  /** The timeline as a picture, drawn under the tables in table mode (not in -o json|yaml or --no-headers). */
  chart?: PhaseChart | undefined;
  /** Lines printed after the tables in table mode (verdicts, hints). */
  notes?: string[];
  /** Text printed as it is in table mode, never wrapped: a script the shell reads. */
  verbatim?: string | undefined;
  /** false makes the process exit 1: a failed check, not an error. */
  ok: boolean;
  /** What --junit writes: a test case per verdict or report row, and the cluster they were proved on. */
  cases?: TestCase[] | undefined;
  facts?: ClusterFacts | null | undefined;
}

/** The printers are loaded on use, so that --help and usage errors never pay for them. */
export async function formatReport(
  r: Report,
  output: OutputFormat,
  noHeaders: boolean,
  columns: number | undefined,
): Promise<string> {
  if (output === 'json') return `${JSON.stringify(r.data, null, 2)}\n`;
  if (output === 'yaml') return (await import('yaml')).stringify(r.data);
  if (r.verbatim !== undefined) return r.verbatim;
  const { renderTable } = await import('./table.ts');
  const { layoutWidth, proseWidth, wrapLines } = await import('./width.ts');
  const blocks = r.sections
    .filter((s) => s.rows.length > 0)
    .map((s) => renderTable(s, noHeaders, output === 'wide', layoutWidth(columns)));
  if (r.chart?.rows.length && !noHeaders) {
    const { renderChart } = await import('./chart.ts');
    blocks.push(renderChart(r.chart, layoutWidth(columns)).join('\n'));
  }
  if (r.notes?.length) blocks.push(wrapLines(r.notes, proseWidth(columns)).join('\n'));
  return blocks.length ? `${blocks.join('\n\n')}\n` : '';
}
