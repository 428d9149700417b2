// The shape of a subcommand: its flags, the validation that turns raw argv into options
// (usage errors exit 2 before any request), and run(), which returns data to print.
import type { Argv } from 'yargs';
import type { GlobalOptions } from '../options.ts';
import type { Report } from '../ui/output.ts';

export interface RunContext {
  globals: GlobalOptions;
  /** Aborted on Ctrl-C. */
  interrupt: AbortSignal;
}

export interface Command<O> {
  command: string;
  describe: string;
  builder?: (y: Argv) => Argv;
  /** Validates argv; throws UsageError. */
  options(argv: Record<string, unknown>): O;
  run(options: O, ctx: RunContext): Promise<Report>;
}

/** Erases the options type so commands with different options share one registry. */
export const defineCommand = <O>(c: Command<O>): Command<unknown> => c as Command<unknown>;
