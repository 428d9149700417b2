// The tour's lab report: one row per Key Concept / Expected Outcome of the scenario, each
// PASS or FAIL with the evidence, as a table and as Markdown a learner can keep. The rows are
// the lessons' (src/lessons/*/rows.ts), in the registry's order within each part.
import type { ActionDone, Actor } from '../command-support/hands-on.ts';
import type { LabNames } from '../lab/names.ts';
import type { Result } from '../lab/verdict.ts';
import { REPORTED, type TourEvidence } from '../lessons/registry.ts';
import type { TourPart } from '../tour/scope.ts';
import { factsText, type ClusterFacts } from '../lab/cluster-facts.ts';
import type { TestCase } from '../ui/junit.ts';
import type { Measured } from '../command-support/command.ts';
import { formatDuration } from '../lab/duration.ts';
import { THRESHOLD_FLAGS, type Limits, type ThresholdFlag } from '../lab/thresholds.ts';

export interface ReportRow {
  /** The tour part that proves it; end: the teardown that closes every tour; limits: a threshold asked for. */
  part: TourPart | 'end' | 'limits';
  concept: string;
  outcome: string;
  result: Result;
  evidence: string;
  /** Its N/A is no failure: the cluster does not offer what it proves (the reason is the evidence). */
  optional?: true;
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
  /** The cluster the rows were proved on, read while the lab stood. */
  cluster: ClusterFacts | null;
  /** Every time the tour's commands measured (setup to Ready, claims attached, recoveries), in step order. */
  timings: { what: string; durationMs: number | null }[];
  parts: TourPart[];
  rows: ReportRow[];
  steps: {
    step: string;
    result: Result;
    durationMs: number;
    notes: string[];
    /** --hands-on: who did the step, and each of its actions. */
    by?: Actor;
    actions?: ActionDone[];
  }[];
  passed: boolean;
  /** The step the tour could not go past, with its error; null when every step ran. */
  stopped: string | null;
}

/** Every row passes; a row that could not be judged (N/A) fails, unless what it proves is optional here. */
export const reportPassed = (rows: ReportRow[]): boolean =>
  rows.length > 0 && rows.every((r) => r.result === 'PASS' || (r.result === 'N/A' && r.optional));

/** One row per Key Concept / Expected Outcome of the parts that ran; a step never reached is a FAIL row saying so. */
export function reportRows(n: LabNames, e: TourEvidence, o: { parts: TourPart[]; keep: boolean }): ReportRow[] {
  const specs = REPORTED.flatMap((l) => l.rows).filter((r) => !(o.keep && r.needsTeardown));
  const inPart = (part: TourPart | 'end') => specs.filter((r) => r.part === part);
  return [...o.parts.flatMap(inPart), ...inPart('end')].map((r) => ({
    part: r.part,
    concept: r.concept,
    outcome: r.outcome(n),
    ...(r.judge(e, n) ?? { result: 'FAIL', evidence: 'not reached' }),
    ...(r.optional ? { optional: true as const } : {}),
  }));
}

/** One row per threshold asked for: every time the tour's commands measured for it within the limit. */
export function thresholdRows(limits: Limits, measured: Measured[]): ReportRow[] {
  return THRESHOLD_FLAGS.filter((f) => limits[f] !== undefined).map((flag) => {
    const limit = limits[flag]!;
    const times = measured.flatMap((m) => (m[flag] ? [m[flag]] : []));
    const over = times.filter((t) => t.ms === null || t.ms > limit);
    const text = (t: { what: string; ms: number | null }) =>
      `${t.what} ${t.ms === null ? 'not measured' : formatDuration(t.ms)}`;
    return {
      part: 'limits',
      concept: `Within --${flag} ${formatDuration(limit)}`,
      outcome: THRESHOLD_OUTCOME[flag],
      result: times.length && !over.length ? 'PASS' : 'FAIL',
      evidence: times.length
        ? over.length
          ? `over ${formatDuration(limit)}: ${over.map(text).join('; ')}${
              over.length < times.length
                ? `; within: ${times
                    .filter((t) => !over.includes(t))
                    .map(text)
                    .join('; ')}`
                : ''
            }`
          : times.map(text).join('; ')
        : 'nothing measured it: no step of these parts times it',
    };
  });
}

const THRESHOLD_OUTCOME: Record<ThresholdFlag, string> = {
  'max-ready': 'Every setup from nothing to every pod Ready within the limit',
  'max-recovery': 'Every lost pod (deleted, or on a failed node) Ready again within the limit',
  'max-attach': "Every pod's claim bound and volume attached within the limit",
};

/** One JUnit case per row, and an <error> for the step the tour could not go past. */
export function reportCases(r: LabReport): TestCase[] {
  const rows = r.rows.map((x): TestCase => ({
    classname: `sts-lab.tour.${x.part}`,
    name: x.concept,
    result: x.result,
    message: x.evidence,
    evidence: `expected: ${x.outcome}\nevidence: ${x.evidence}`,
  }));
  const stopped: TestCase[] = r.stopped
    ? [{ classname: 'sts-lab.tour', name: 'tour steps', result: 'ERROR', message: r.stopped, evidence: '' }]
    : [];
  return [...rows, ...stopped];
}

/** The header line: the lab, the cluster it was proved on, when. */
export const reportHeader = (r: LabReport): string =>
  `StatefulSet \`${r.statefulSet}\` in namespace \`${r.namespace}\`, ${r.server ? `API server ${r.server}, ` : ''}Kubernetes ${r.serverVersion ?? 'unknown'}${r.cluster ? `, ${factsText(r.cluster)}` : ''}, ${r.startedAt} – ${r.finishedAt}; tour parts: ${r.parts.join(', ')}.`;

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportMarkdown(r: LabReport): string {
  const lines = [
    `# StatefulSet lab report: ${r.passed ? 'PASS' : 'FAIL'}`,
    '',
    reportHeader(r),
    '',
    '| Key concept | Expected outcome | Result | Evidence |',
    '|---|---|---|---|',
    ...r.rows.map((x) => `| ${cell(x.concept)} | ${cell(x.outcome)} | **${x.result}** | ${cell(x.evidence)} |`),
    '',
    ...(r.timings.length
      ? [
          '## Timings',
          '',
          '| Measured | Time |',
          '|---|---|',
          ...r.timings.map(
            (t) => `| ${cell(t.what)} | ${t.durationMs === null ? '-' : formatDuration(t.durationMs)} |`,
          ),
          '',
        ]
      : []),
    '## Steps',
    '',
    ...r.steps.flatMap((s, i) => [
      `${i + 1}. **${s.step}** (${s.result}, ${(s.durationMs / 1000).toFixed(1)} s${s.by ? `, done by ${doerOf(s.by)}` : ''})`,
      ...(s.actions ?? []).flatMap((a) => [
        `   ${ranBy(a.by)} \`${a.kubectl}\``,
        ...a.hints.map((h) => `   (before that: ${h})`),
      ]),
      ...s.notes.map((n) => `   ${n}`),
    ]),
    '',
  ];
  return lines.join('\n');
}

/** Who did a hands-on step, as the report says it. */
export const doerOf = (by: Actor): string => (by === 'learner' ? 'you' : 'the lab');

/** One of its actions, as the report says it. */
export const ranBy = (by: Actor): string => (by === 'learner' ? 'You ran' : 'The lab ran');
