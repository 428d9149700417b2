// A subcommand's --help in kubectl's words: its own flags, Examples (a comment line, then the
// command), and the pointer to the global flags. The examples go in the epilog: yargs keeps the
// indentation there (the usage text is wrapped with its leading spaces trimmed).
import type { Argv } from 'yargs';

export type Example = readonly [command: string, what: string];

export const OPTIONS_POINTER =
  'Use "kubectl sts-lab options" for a list of global command-line options (applies to all commands).';

/** The end of a command's help: the examples as kubectl prints them, then the pointer. */
export function helpEpilog(examples: readonly Example[]): string {
  const lines = examples.flatMap(([command, what], i) => [...(i ? [''] : []), `  # ${what}`, `  ${command}`]);
  return examples.length ? `Examples:\n${lines.join('\n')}\n\n${OPTIONS_POINTER}` : OPTIONS_POINTER;
}

// --version is the plugin's, as kubectl's is: a subcommand neither takes nor lists it.
export const withKubectlHelp = (y: Argv, examples: readonly Example[]): Argv =>
  y.epilog(helpEpilog(examples)).version(false);
