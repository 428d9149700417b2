// The tour's lab report: one row per Key Concept / Expected Outcome of the scenario, each
// PASS or FAIL with the evidence, as a table and as Markdown a learner can keep.

import type { Result } from './verdict.ts';

export type RowResult = Result;

export interface ReportRow {
  concept: string;
  outcome: string;
  result: RowResult;
  evidence: string;
}

export interface LabReport {
  namespace: string;
  statefulSet: string;
  startedAt: string;
  finishedAt: string;
  serverVersion: string | null;
  rows: ReportRow[];
  steps: { step: string; result: RowResult; durationMs: number; notes: string[] }[];
  passed: boolean;
}

/** Every row passes; a row that could not be judged (N/A) does not count as a pass. */
export const reportPassed = (rows: ReportRow[]): boolean => rows.length > 0 && rows.every((r) => r.result === 'PASS');

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportMarkdown(r: LabReport): string {
  const lines = [
    `# StatefulSet lab report: ${r.passed ? 'PASS' : 'FAIL'}`,
    '',
    `StatefulSet \`${r.statefulSet}\` in namespace \`${r.namespace}\`, Kubernetes ${r.serverVersion ?? 'unknown'}, ${r.startedAt} – ${r.finishedAt}.`,
    '',
    '| Key concept | Expected outcome | Result | Evidence |',
    '|---|---|---|---|',
    ...r.rows.map((x) => `| ${cell(x.concept)} | ${cell(x.outcome)} | **${x.result}** | ${cell(x.evidence)} |`),
    '',
    '## Steps',
    '',
    ...r.steps.flatMap((s, i) => [`${i + 1}. **${s.step}** (${s.result}, ${(s.durationMs / 1000).toFixed(1)} s)`, ...s.notes.map((n) => `   ${n}`)]),
    '',
  ];
  return lines.join('\n');
}
