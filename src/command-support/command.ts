// The shape of a subcommand, a pipeline of four parts: options() resolves argv into typed
// options (usage errors exit 2 before any request), run() acts on the cluster and watches it,
// its judges make the verdicts (pure, in src/lessons/*/), and present() lays the data out as
// tables, a chart and verdict lines. The tour calls run() alone and keeps the data.
import type { Argv } from 'yargs';
import type { Cluster } from '../k8s/cluster.ts';
import type { GlobalOptions } from '../options.ts';
import type { TimelineRow } from '../lab/timeline.ts';
import type { PhaseChart } from '../ui/phases.ts';
import type { Report } from '../ui/output.ts';
import type { Section } from '../ui/table.ts';

export interface RunContext {
  globals: GlobalOptions;
  /** Aborted on Ctrl-C. */
  interrupt: AbortSignal;
  /** The cluster to act on instead of the one the kubeconfig names: a recording, in tests. */
  cluster?: Cluster | undefined;
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
}

/** What a command's positional arguments are, for shell completion. */
export type ArgumentKind = 'ordinals';

export interface Command<O, D> {
  command: string;
  describe: string;
  builder?: (y: Argv) => Argv;
  args?: ArgumentKind;
  /** Validates argv; throws UsageError. The lab's names come typed, in globals. */
  options(argv: Record<string, unknown>, globals: GlobalOptions): O;
  run(options: O, ctx: RunContext): Promise<Outcome<D>>;
  present(outcome: Outcome<D>, options: O): Presentation;
}

/** What the registry (cli.ts, completion) needs of a command: argv in, a report out. */
export interface Registered {
  command: string;
  describe: string;
  builder?: ((y: Argv) => Argv) | undefined;
  args?: ArgumentKind | undefined;
  invoke(argv: Record<string, unknown>, ctx: RunContext): Promise<Report<unknown>>;
}

/** A command, typed for callers such as tour, and registrable with the CLI. */
export const defineCommand = <O, D>(c: Command<O, D>): Command<O, D> & Registered => ({
  ...c,
  invoke: async (argv, ctx) => {
    const options = c.options(argv, ctx.globals);
    const outcome = await c.run(options, ctx);
    const view = c.present(outcome, options);
    return { ...outcome, ...view, notes: [...(view.notes ?? []), ...(outcome.remarks ?? [])] };
  },
});

/** The -o json data of a command. */
export type DataOf<C> = C extends Command<infer _O, infer D> ? D : never;
