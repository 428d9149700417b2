// The shape of a subcommand, a pipeline of four parts: options() resolves argv into typed
// options (usage errors exit 2 before any request), run() acts on the cluster and watches it,
// its judges make the verdicts (pure, in src/lessons/*/), and present() lays the data out as
// tables, a chart and verdict lines. The tour calls run() alone and keeps the data.
import type { Argv } from 'yargs';
import type { Cluster } from '../k8s/cluster.ts';
import type { ClusterFacts } from '../lab/cluster-facts.ts';
import type { GlobalOptions } from '../options.ts';
import type { TimelineRow } from '../lab/timeline.ts';
import type { PhaseChart } from '../ui/phases.ts';
import type { Report } from '../ui/output.ts';
import type { Section } from '../ui/table.ts';
import type { TestCase } from '../ui/junit.ts';
import { renderTable } from '../ui/table.ts';
import { asUsage } from '../errors.ts';
import { parseLimits, thresholdOptions, thresholdVerdict, type Limits, type ThresholdFlag } from '../lab/thresholds.ts';
import { verdictLines, type Verdict } from '../lab/verdict.ts';
import { verdictText } from '../ui/color.ts';
import { verdictCases, verdictsIn } from './judged.ts';
import { connectLab } from './target.ts';
import { followUnfinished, type Unfinished } from './follow-unfinished.ts';
import { formatDuration } from '../lab/duration.ts';
import type { HandsOn } from './hands-on.ts';
import type { Example } from '../ui/help.ts';

export interface RunContext {
  globals: GlobalOptions;
  /** Aborted on Ctrl-C. */
  interrupt: AbortSignal;
  /** The cluster to act on instead of the one the kubeconfig names: a recording, in tests. */
  cluster?: Cluster | undefined;
  /** tour --hands-on: the step's actions are the learner's, and the commands wait to see them done. */
  handsOn?: HandsOn | undefined;
}

/** What run() found: the -o json data, whether the checks held, and the timeline it watched. */
export interface Outcome<D> {
  data: D;
  /** false makes the process exit 1: a failed check, not an error. */
  ok: boolean;
  chart?: PhaseChart | undefined;
  /** The timeline rows a table shows and -o json leaves out. */
  timeline?: TimelineRow[] | undefined;
  /** Lines -o json leaves out, printed after present()'s (a hint about the cluster's state). */
  remarks?: string[] | undefined;
}

/** The table-mode view of a command's data. */
export interface Presentation {
  sections: Section[];
  /** Lines printed after the tables (verdicts, hints). */
  notes?: string[];
  /** Text printed as it is, never wrapped: a script the shell reads. */
  verbatim?: string;
}

/** What a command's positional arguments are, for shell completion. */
export type ArgumentKind = 'ordinals';

export interface Command<O, D> {
  command: string;
  describe: string;
  /** Two to four real invocations, as kubectl's help has. */
  examples: readonly Example[];
  builder?: (y: Argv) => Argv;
  args?: ArgumentKind;
  /** Validates argv; throws UsageError. The lab's names come typed, in globals. */
  options(argv: Record<string, unknown>, globals: GlobalOptions): O;
  run(options: O, ctx: RunContext): Promise<Outcome<D>>;
  present(outcome: Outcome<D>, options: O): Presentation;
  /** false: the command shows the lab and judges nothing (no --junit). */
  judges?: false;
  /** The command acts on settled pods: what an interrupted command left in motion is followed to its end first. */
  settlesFirst?: true;
  /** The test cases --junit writes; by default one per verdict in the data. */
  cases?: (data: D) => TestCase[];
  /** The times this command measures, and the threshold flags (--max-recovery…) that judge them. */
  measures?: { flags: readonly ThresholdFlag[]; measured: (data: D) => Measured };
}

/** What a command timed, for each threshold flag: null when it could not be measured. */
export type Measured = Partial<Record<ThresholdFlag, { what: string; ms: number | null }>>;

/** What the registry (cli.ts, completion) needs of a command: argv in, a report out. */
export interface Registered {
  command: string;
  describe: string;
  examples: readonly Example[];
  builder?: ((y: Argv) => Argv) | undefined;
  args?: ArgumentKind | undefined;
  judges?: false | undefined;
  invoke(argv: Record<string, unknown>, ctx: RunContext): Promise<Report<unknown>>;
}

/** A command, typed for callers such as tour, and registrable with the CLI. */
export const defineCommand = <O, D>(c: Command<O, D>): Command<O, D> & Registered => ({
  ...c,
  builder: (y: Argv) => {
    const built = (c.builder ?? ((b: Argv) => b))(y);
    return c.measures ? built.options(thresholdOptions(c.measures.flags)) : built;
  },
  invoke: async (argv, ctx) => {
    const options = c.options(argv, ctx.globals);
    const limits = c.measures ? asUsage(() => parseLimits(argv, c.measures!.flags)) : {};
    const outcome = withThresholds(await settledRun(c, options, ctx), limits, c.measures?.measured);
    const view = c.present(outcome, options);
    const thresholds = (outcome.data as { thresholds?: Verdict<unknown> }).thresholds;
    const report = {
      ...outcome,
      ...view,
      notes: [
        ...(view.notes ?? []),
        ...(thresholds ? verdictLines(thresholds, verdictText) : []),
        ...(outcome.remarks ?? []),
      ],
    };
    return c.judges === false ? report : judged(c, report, ctx);
  },
});

/** The limits asked for, judged against what the run measured: a time over its limit fails the command. */
function withThresholds<D>(o: Outcome<D>, limits: Limits, measured?: (d: D) => Measured): Outcome<D> {
  const v = measured && thresholdVerdict(limits, measured(o.data));
  if (!v) return o;
  return { ...o, ok: o.ok && v.result !== 'FAIL', data: { ...o.data, thresholds: v } };
}

/** run(), after following what an earlier command left in motion; the watches stay open from one to the other. */
async function settledRun<O, D>(c: Command<O, D>, options: O, ctx: RunContext): Promise<Outcome<D>> {
  if (!c.settlesFirst) return c.run(options, ctx);
  const release = (await connectLab(ctx, ctx.globals.names)).hold();
  try {
    const unfinished = await followUnfinished(ctx);
    return withUnfinished(await c.run(options, ctx), unfinished);
  } finally {
    release();
  }
}

/** The evidence of what was followed first: in -o json, and a line after the verdict. */
function withUnfinished<D>(o: Outcome<D>, unfinished: Unfinished | null): Outcome<D> {
  if (!unfinished) return o;
  const what = unfinished.pods.map((p) => `${p.pod} ${p.doing}`).join(', ');
  return {
    ...o,
    data: { ...o.data, followedFirst: unfinished },
    remarks: [
      ...(o.remarks ?? []),
      `Followed first what an earlier command left in progress (${what}): settled after ${formatDuration(unfinished.settledMs)}.`,
    ],
  };
}

/**
 * A report with verdicts names the cluster they were proved on (its data's `cluster`, unless the command read it
 * itself) and carries its JUnit test cases.
 */
async function judged<O, D>(c: Command<O, D>, report: Report<D>, ctx: RunContext): Promise<Report<unknown>> {
  if (!c.cases && !verdictsIn(report.data).length) return report;
  const own = (report.data as { cluster?: ClusterFacts | null }).cluster;
  const cluster =
    own !== undefined
      ? own
      : await connectLab(ctx, ctx.globals.names)
          .then((lab) => lab.clusterFacts())
          .catch(() => null);
  const data = { ...report.data, cluster };
  const name = c.command.split(' ')[0]!;
  const tables = report.sections
    .filter((s) => s.rows.length)
    .map((s) => renderTable(s, false))
    .join('\n\n');
  return { ...report, data, facts: cluster, cases: c.cases?.(report.data) ?? verdictCases(name, data, tables) };
}

/** The -o json data of a command. */
export type DataOf<C> = C extends Command<infer _O, infer D> ? D : never;
