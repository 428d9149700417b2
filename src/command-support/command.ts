// The shape of a subcommand: its flags, the validation that turns raw argv into options
// (usage errors exit 2 before any request), and run(), which returns typed data to print.
import type { Argv } from 'yargs';
import type { GlobalOptions } from '../options.ts';
import type { Report } from '../ui/output.ts';

export interface RunContext {
  globals: GlobalOptions;
  /** Aborted on Ctrl-C. */
  interrupt: AbortSignal;
}

export interface Command<O, D> {
  command: string;
  describe: string;
  builder?: (y: Argv) => Argv;
  /** Validates argv; throws UsageError. */
  options(argv: Record<string, unknown>): O;
  run(options: O, ctx: RunContext): Promise<Report<D>>;
}

/** What the registry (cli.ts, completion) needs of a command: argv in, a report out. */
export interface Registered {
  command: string;
  describe: string;
  builder?: ((y: Argv) => Argv) | undefined;
  invoke(argv: Record<string, unknown>, ctx: RunContext): Promise<Report<unknown>>;
}

/** A command, typed for callers such as tour, and registrable with the CLI. */
export const defineCommand = <O, D>(c: Command<O, D>): Command<O, D> & Registered => ({ ...c, invoke: (argv, ctx) => c.run(c.options(argv), ctx) });

/** The -o json data of a command. */
export type DataOf<C> = C extends Command<infer _O, infer D> ? D : never;
