// The tour's lab report: one row per Key Concept / Expected Outcome of the scenario, each
// PASS or FAIL with the evidence, as a table and as Markdown a learner can keep. The rows are
// the lessons' (src/lessons/*/rows.ts), in the registry's order within each part.
import type { LabNames } from '../lab/names.ts';
import type { Result } from '../lab/verdict.ts';
import { REPORTED, type TourEvidence } from '../lessons/registry.ts';
import type { TourPart } from '../tour/scope.ts';

export interface ReportRow {
  concept: string;
  outcome: string;
  result: Result;
  evidence: string;
}

export interface LabReport {
  namespace: string;
  statefulSet: string;
  startedAt: string;
  finishedAt: string;
  /** The kubeconfig context and API server the tour ran against. */
  context: string | null;
  server: string | null;
  serverVersion: string | null;
  parts: TourPart[];
  rows: ReportRow[];
  steps: { step: string; result: Result; durationMs: number; notes: string[] }[];
  passed: boolean;
  /** The step the tour could not go past, with its error; null when every step ran. */
  stopped: string | null;
}

/** Every row passes; a row that could not be judged (N/A) does not count as a pass. */
export const reportPassed = (rows: ReportRow[]): boolean => rows.length > 0 && rows.every((r) => r.result === 'PASS');

/** One row per Key Concept / Expected Outcome of the parts that ran; a step never reached is a FAIL row saying so. */
export function reportRows(n: LabNames, e: TourEvidence, o: { parts: TourPart[]; keep: boolean }): ReportRow[] {
  const specs = REPORTED.flatMap((l) => l.rows).filter((r) => !(o.keep && r.needsTeardown));
  const inPart = (part: TourPart | 'end') => specs.filter((r) => r.part === part);
  return [...o.parts.flatMap(inPart), ...inPart('end')].map((r) => ({
    concept: r.concept,
    outcome: r.outcome(n),
    ...(r.judge(e, n) ?? { result: 'FAIL', evidence: 'not reached' }),
  }));
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportMarkdown(r: LabReport): string {
  const lines = [
    `# StatefulSet lab report: ${r.passed ? 'PASS' : 'FAIL'}`,
    '',
    `StatefulSet \`${r.statefulSet}\` in namespace \`${r.namespace}\`, ${r.server ? `API server ${r.server}, ` : ''}Kubernetes ${r.serverVersion ?? 'unknown'}, ${r.startedAt} – ${r.finishedAt}; tour parts: ${r.parts.join(', ')}.`,
    '',
    '| Key concept | Expected outcome | Result | Evidence |',
    '|---|---|---|---|',
    ...r.rows.map((x) => `| ${cell(x.concept)} | ${cell(x.outcome)} | **${x.result}** | ${cell(x.evidence)} |`),
    '',
    '## Steps',
    '',
    ...r.steps.flatMap((s, i) => [
      `${i + 1}. **${s.step}** (${s.result}, ${(s.durationMs / 1000).toFixed(1)} s)`,
      ...s.notes.map((n) => `   ${n}`),
    ]),
    '',
  ];
  return lines.join('\n');
}
