// tour: the whole scenario in one command. Each step runs the subcommand a learner would
// type (with its own task list), then says in two or three lines what the cluster did and
// why; the end is a lab report with one PASS/FAIL row per key concept of the scenario.
import { writeFileSync } from 'node:fs';
import { stderrProseWidth, wrapLines } from '../ui/width.ts';
import { createInterface } from 'node:readline/promises';
import type { Argv } from 'yargs';
import { asUsage, CliError, InterruptedError, UsageError } from '../errors.ts';
import {
  doerOf,
  reportCases,
  reportMarkdown,
  reportPassed,
  reportRows,
  thresholdRows,
  type LabReport,
} from '../report/lab-report.ts';
import type { ClusterFacts } from '../lab/cluster-facts.ts';
import { formatDuration } from '../lab/duration.ts';
import { parseLimits, thresholdOptions, THRESHOLD_FLAGS, type Limits } from '../lab/thresholds.ts';
import type { PhaseChart } from '../ui/phases.ts';
import { SMOKE_NAMESPACE, type LabNames } from '../lab/names.ts';
import { TOUR_PLANS, teardownStep, type TourEvidence } from '../lessons/registry.ts';
import { verdictText } from '../ui/color.ts';
import type { RunContext } from '../command-support/command.ts';
import { defineCommand, type Measured } from '../command-support/command.ts';
import { connectLab } from '../command-support/target.ts';
import { writableFile } from '../command-support/output-file.ts';
import { shortDnsNames } from '../ui/table.ts';
import { podFlags, podSettings, type PodSettings } from '../commands/setup.ts';
import type { HandsOn } from '../command-support/hands-on.ts';
import { terminalKey } from '../ui/keys.ts';
import { TOUR_PARTS, type NodeDrill, type TourPart, type TourScope } from './scope.ts';

interface TourOptions {
  names: LabNames;
  parts: TourPart[];
  pod: PodSettings;
  nodes: NodeDrill;
  keep: boolean;
  report?: string | undefined;
  stepByStep: boolean;
  /** --hands-on: the learner does each step's actions; the step numbers the lab does itself. */
  handsOn: { doItForMe: number[] } | undefined;
  limits: Limits;
}

export default defineCommand({
  command: 'tour',
  examples: [
    ['kubectl sts-lab tour', 'The whole scenario, proved step by step, then torn down'],
    ['kubectl sts-lab tour --hands-on', 'You type each kubectl command; the lab waits to see it done and proves it'],
    ['kubectl sts-lab tour --part all --report lab.html', 'Every part, and a lab report page'],
    ['kubectl sts-lab tour --part storage --storage-class fast --junit smoke.xml', 'A CI smoke test of a StorageClass'],
  ],
  describe: 'Run the whole lab, step by step, and end with a lab report (PASS/FAIL per StatefulSet guarantee)',
  builder: (y: Argv) =>
    podFlags(y)
      .option('part', {
        type: 'string',
        default: 'seed',
        describe:
          'seed: the scenario; updates: rolling, partitioned, OnDelete, forced rollback; lifecycle: readiness, orphans, deletes; nodes: drain and node failure; storage: a smoke test of the StorageClass (claims, data, moves, scale to 0, retention, expansion); all: every part; or a list, e.g. seed,nodes',
      })
      .option('fail-with', {
        type: 'string',
        describe:
          'nodes part: the command that stops a node ({node} is replaced); without it the node failure is skipped',
      })
      .option('recover-with', { type: 'string', describe: 'nodes part: the command that starts it again' })
      .option('recovery', {
        type: 'string',
        choices: ['wait', 'force', 'out-of-service'],
        default: 'out-of-service',
        describe: 'nodes part: how the failed pod is freed (see node-failure --help)',
      })
      .option('keep', {
        type: 'boolean',
        default: false,
        describe: 'Keep the lab at the end instead of tearing it down',
      })
      .option('report', {
        type: 'string',
        describe:
          'Also write the report to this file: FILE.html a self-contained page with timelines, otherwise Markdown',
      })
      .option('step-by-step', {
        type: 'boolean',
        default: false,
        describe: 'Wait for Enter between steps (on a terminal)',
      })
      .option('hands-on', {
        type: 'boolean',
        default: false,
        describe:
          'You do each step: it prints the kubectl command, waits to see it done, and proves it (press d to let the lab do one)',
      })
      .option('do-it-for-me', {
        type: 'string',
        describe: 'With --hands-on: the steps the lab does itself, by number (e.g. 2,5)',
      })
      .options(thresholdOptions(THRESHOLD_FLAGS)),
  options: (a, g): TourOptions => {
    const parts = tourParts(String(a.part));
    const smokeOnly = parts.length === 1 && parts[0] === 'storage';
    return {
      names: smokeOnly && !g.namespaceGiven ? { ...g.names, namespace: SMOKE_NAMESPACE } : g.names,
      parts,
      pod: asUsage(() => podSettings(a)),
      nodes: nodeDrill(a),
      keep: a.keep === true,
      report: a.report === undefined ? undefined : writableFile('--report', String(a.report)),
      stepByStep: a['step-by-step'] === true,
      handsOn: handsOnOptions(a, planOf(parts, a.keep === true).length),
      limits: asUsage(() => parseLimits(a, THRESHOLD_FLAGS)),
    };
  },
  async run(o, ctx) {
    const n = o.names;
    const narrate = ctx.globals.progress !== 'none';
    const say = (lines: string[]) =>
      narrate && process.stderr.write(`${wrapLines(lines, stderrProseWidth()).join('\n')}\n`);
    const startedAt = new Date();
    const steps: LabReport['steps'] = [];
    // The timelines each step's commands drew, for the HTML report.
    const charts: PhaseChart[][] = [];
    let drawn: PhaseChart[] = [];
    // Every time the steps' commands measured, for the thresholds' rows.
    const measured: Measured[] = [];
    // The step at hand's hands-on record, which its commands' actions fill in.
    let handsOn: HandsOn | undefined;
    const scope: TourScope<TourEvidence> = {
      names: n,
      pod: o.pod,
      nodes: o.nodes,
      ctx,
      evidence: {},
      serverVersion: null,
      cluster: null,
      // Each step runs a subcommand with options as data and reads its typed -o json data.
      call: async (cmd, options) => {
        const r = await cmd.run(options, { ...ctx, handsOn } satisfies RunContext);
        if (r.chart?.rows.length) drawn.push(r.chart);
        if (cmd.measures) measured.push(cmd.measures.measured(r.data));
        return r.data;
      },
    };
    const plan = planOf(o.parts, o.keep).map((step) => step(scope));
    const key = terminalKey('d');

    let failure: string | undefined;
    // The steps share one session: each kind is listed and watched once for the whole tour.
    // A lab that cannot be reached fails in its first step, as it would alone.
    const lab = await connectLab(ctx, n).catch(() => undefined);
    const release = lab?.hold() ?? (() => undefined);
    // The cluster the rows are proved on, read once the lab's StatefulSet stands (before the teardown removes it).
    let cluster: ClusterFacts | null = null;
    const readFacts = async () => {
      if (lab && !cluster?.podManagementPolicy)
        cluster = await lab.clusterFacts(o.pod.storageClass).catch(() => cluster);
    };
    try {
      for (const [i, step] of plan.entries()) {
        if (i > 0 && o.stepByStep) await pressEnter(`Next: ${step.title}`, ctx.interrupt);
        say([``, `== Step ${i + 1}/${plan.length}: ${step.title}`]);
        const t0 = Date.now();
        drawn = [];
        charts.push(drawn);
        handsOn = o.handsOn && {
          labDoes: o.handsOn.doItForMe.includes(i + 1),
          askKey: key.key,
          onAsk: key.on,
          done: [],
        };
        try {
          const { result, notes } = await step.run();
          await readFacts();
          steps.push({ step: step.title, result, durationMs: Date.now() - t0, notes, ...doneBy(handsOn) });
          const hints = handsOn?.done.flatMap((d) => d.hints.map((h) => `Before that: ${h}.`)) ?? [];
          say([...hints, ...notes].map((l) => `   ${l}`));
        } catch (err) {
          if (err instanceof InterruptedError) throw err;
          failure = `${step.title}: ${(err as Error).message}`;
          steps.push({
            step: step.title,
            result: 'FAIL',
            durationMs: Date.now() - t0,
            notes: [(err as Error).message],
          });
          const hint = err instanceof CliError && err.hint ? [`   hint: ${err.hint}`] : [];
          say([
            `   FAIL: ${(err as Error).message}`,
            ...hint,
            '   The lab is left in place for a look (kubectl sts-lab status); kubectl sts-lab teardown removes it.',
          ]);
          break;
        }
      }
    } finally {
      release();
    }

    const rows = [
      ...reportRows(n, scope.evidence, { parts: o.parts, keep: o.keep }),
      ...thresholdRows(o.limits, measured),
    ];
    const report: LabReport = {
      namespace: n.namespace,
      statefulSet: n.statefulSet,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      context: scope.cluster?.context ?? null,
      server: scope.cluster?.server ?? null,
      serverVersion: scope.serverVersion,
      cluster,
      timings: measured.flatMap((m) => Object.values(m).map((t) => ({ what: t.what, durationMs: t.ms }))),
      parts: o.parts,
      rows,
      steps,
      passed: !failure && reportPassed(rows),
      stopped: failure ?? null,
    };
    if (o.report) {
      try {
        writeFileSync(
          o.report,
          /\.html?$/i.test(o.report)
            ? (await import('../report/html.ts')).reportHtml(report, charts)
            : reportMarkdown(report),
        );
      } catch (e) {
        throw new CliError(`cannot write the report to ${o.report}: ${(e as Error).message}`);
      }
    }
    return { ok: report.passed, data: report, remarks: o.report ? [`      Report written to ${o.report}`] : [] };
  },
  cases: reportCases,
  present: ({ data: r }) => {
    return {
      sections: [
        {
          headers: ['key concept', 'expected outcome', 'result', 'evidence'],
          rows: r.rows.map((x) => [x.concept, x.outcome, x.result, x.evidence]),
          // The concept names what is expected; -o wide spells it out, and every DNS name in full.
          wide: ['expected outcome'],
          short: { evidence: shortDnsNames },
        },
        {
          headers: ['measured', 'time'],
          rows: r.timings.map((t) => [t.what, t.durationMs === null ? '-' : formatDuration(t.durationMs)]),
        },
        {
          headers: ['step', 'done by', 'command'],
          rows: r.steps.flatMap((s, i) =>
            s.by ? [[`${i + 1}. ${s.step}`, doerOf(s.by), s.actions?.map((a) => a.kubectl).join('; ') || '-']] : [],
          ),
        },
      ],
      notes: [
        `${verdictText(r.passed ? 'PASS' : 'FAIL')}  ${r.passed ? `Every StatefulSet guarantee of the scenario held on this cluster${notOffered(r)}` : r.stopped ? `The tour stopped: ${r.stopped}` : 'Some guarantees did not hold (see the rows above)'}`,
      ],
    };
  },
});

/** The optional rows the cluster did not offer, named after a pass. */
const notOffered = (r: LabReport): string => {
  const na = r.rows.filter((x) => x.optional && x.result === 'N/A').map((x) => x.concept);
  return na.length ? ` (not offered here: ${na.join(', ')})` : '';
};

/** The steps of these parts, and the teardown that closes them unless --keep. */
const planOf = (parts: TourPart[], keep: boolean) => [
  ...parts.flatMap((part) => TOUR_PLANS[part]),
  ...(keep ? [] : [teardownStep(parts)]),
];

/** --hands-on and the steps --do-it-for-me leaves to the lab, numbered as the tour prints them. */
function handsOnOptions(a: Record<string, unknown>, steps: number): TourOptions['handsOn'] {
  const given = a['do-it-for-me'];
  if (a['hands-on'] !== true) {
    if (given !== undefined) throw new UsageError('--do-it-for-me goes with --hands-on');
    return undefined;
  }
  const doItForMe =
    given === undefined
      ? []
      : String(given)
          .split(',')
          .map((x) => x.trim());
  const bad = doItForMe.filter((x) => !/^\d+$/.test(x) || Number(x) < 1 || Number(x) > steps);
  if (bad.length)
    throw new UsageError(
      `invalid argument "${bad.join(',')}" for "--do-it-for-me" flag: must be step numbers from 1 to ${steps}`,
    );
  return { doItForMe: doItForMe.map(Number) };
}

/** Who did a hands-on step: the learner if they did any of its actions; a step with none is the lab's. */
const doneBy = (h: HandsOn | undefined): Pick<LabReport['steps'][number], 'by' | 'actions'> =>
  h ? { by: h.done.some((d) => d.by === 'learner') ? 'learner' : 'lab', actions: h.done } : {};

/** --fail-with and --recover-with come together: a node the tour stops, it must start again. */
function nodeDrill(a: Record<string, unknown>): NodeDrill {
  const failWith = a['fail-with'] === undefined ? undefined : String(a['fail-with']);
  const recoverWith = a['recover-with'] === undefined ? undefined : String(a['recover-with']);
  if (Boolean(failWith) !== Boolean(recoverWith))
    throw new UsageError('--fail-with and --recover-with go together: the node the tour stops, it starts again');
  return { failWith, recoverWith, recovery: String(a.recovery) as NodeDrill['recovery'] };
}

/** --part: one part, all, or a comma-separated list, run in the tour's own order. */
export function tourParts(text: string): TourPart[] {
  const asked = text.split(',').map((p) => p.trim());
  if (asked.includes('all')) return TOUR_PARTS;
  const unknown = asked.filter((p) => !TOUR_PARTS.includes(p as TourPart));
  if (unknown.length)
    throw new UsageError(
      `invalid argument "${unknown.join(',')}" for "--part" flag: must be one of ${[...TOUR_PARTS, 'all'].join(', ')}, or a comma-separated list of them`,
    );
  return TOUR_PARTS.filter((p) => asked.includes(p));
}

/** --step-by-step: on a terminal, wait for Enter; elsewhere a no-op. */
async function pressEnter(next: string, interrupt: AbortSignal): Promise<void> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    await rl.question(`\n${next} — press Enter to continue `, { signal: interrupt });
  } catch {
    throw new InterruptedError();
  } finally {
    rl.close();
  }
}
