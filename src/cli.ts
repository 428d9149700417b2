// Composition root: global flags, the subcommands, output and the exit-code policy.
import { writeFile } from 'node:fs/promises';
import { stderrProseWidth, wrapLine } from './ui/width.ts';
import yargs, { type Argv } from 'yargs';
import type { Registered } from './command-support/command.ts';
import { OPTIONS_POINTER, withKubectlHelp, type Example } from './ui/help.ts';
import type { Cluster } from './k8s/cluster.ts';
import completion from './commands/completion.ts';
import setup from './commands/setup.ts';
import status from './commands/status.ts';
import storage from './commands/storage.ts';
import verify from './commands/verify.ts';
import { LESSON_COMMANDS } from './lessons/registry.ts';
import tour from './tour/tour.ts';
import { CliError, EXIT, exitCodeFor, UsageError } from './errors.ts';
import { globalFlags, OPTIONS_COMMAND, parseGlobals, type GlobalOptions } from './options.ts';
import { applyColor, paint } from './ui/color.ts';
import { formatReport } from './ui/output.ts';
import type { ClusterFacts } from './lab/cluster-facts.ts';
import type { TestCase } from './ui/junit.ts';

/** The lab's own commands around the lessons': create it, look at it and its storage, tour it, complete the shell. */
export const COMMANDS: Registered[] = [setup, status, storage, ...LESSON_COMMANDS, verify, tour, completion];

const EPILOG = `Flags go after the plugin name: kubectl sts-lab --context NAME setup
(kubectl rejects flags placed before a plugin's name).
Exit codes: 0 pass, 1 failed check or error, 2 usage error, 130 interrupted.

${OPTIONS_POINTER}`;

/** kubectl options: the flags every command takes, which the commands' help leaves out. */
async function optionsHelp(width: number): Promise<string> {
  const y = globalFlags(yargs([]), true)
    .scriptName('kubectl sts-lab')
    .usage('The following options can be passed to any command:')
    .version(false)
    .help(false)
    .wrap(width);
  return `${await y.getHelp()}\n`;
}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIo: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** The help's width: the terminal's, at most 110 columns; 100 when piped. */
const helpWidth = (columns = process.stdout.columns): number => Math.min(110, columns || 100);

/**
 * The top-level help, laid out while the startup snapshot is built (for a pipe and for a wide
 * terminal): laying it out is most of `--help`'s time. Nothing else in the environment changes it.
 */
const prerendered = new Map<number, string>();

export async function prerenderHelp(): Promise<void> {
  for (const columns of [0, 110]) {
    let text = '';
    await main([], new AbortController().signal, { out: (t) => (text += t), err: () => undefined }, columns);
    prerendered.set(helpWidth(columns), text);
  }
}

/** cluster: what to act on instead of the kubeconfig's cluster (in-process tests replay a recording). */
export async function main(
  argv: string[],
  interrupt: AbortSignal,
  io: Io = processIo,
  columns = process.stdout.columns,
  cluster?: Cluster,
): Promise<number> {
  // What yargs would print, without building the parser first.
  if (argv.length === 1 && argv[0] === '--version') {
    io.out(`${__VERSION__}\n`);
    return EXIT.ok;
  }
  const ready = prerendered.get(helpWidth(columns));
  if (ready !== undefined && (argv.length === 0 || (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')))) {
    io.out(argv.length ? `${ready}\n` : ready); // yargs prints --help with a newline
    return EXIT.ok;
  }
  // Shell completion's protocol (hidden, as in cobra): never an error, never a usage message.
  if (argv[0] === '__complete') {
    const { complete } = await import('./complete.ts');
    io.out(await complete(argv.slice(1), COMMANDS, interrupt));
    return EXIT.ok;
  }
  let verbose = argv.includes('-v') || argv.includes('--verbose');
  let exitCode: number = EXIT.ok;
  const parser: Argv = globalFlags(yargs(argv))
    .scriptName('kubectl sts-lab')
    .usage(
      '$0 <command> [flags]\n\nWalks you through a StatefulSet lab on your cluster and proves each guarantee as it happens.',
    )
    .parserConfiguration({
      'boolean-negation': false,
      'camel-case-expansion': false,
      'duplicate-arguments-array': false,
    }) // last one wins, as in kubectl
    .strict()
    // main() decides when the process ends (tests call it in-process).
    .exitProcess(false)
    .version(__VERSION__)
    .help()
    .alias('h', 'help')
    .epilog(EPILOG)
    .wrap(helpWidth(columns))
    .fail((msg, err) => {
      if (msg?.startsWith('Not enough arguments following')) refuseMissingValues(argv, valued);
      throw err ?? new UsageError(unknownCommand(msg, argv) ?? invalidChoice(msg) ?? msg);
    });
  let ran = false;
  // Where --junit goes once the command is known: an error after that is a test case too.
  let junit: { file: string; command: string; startedAt: Date } | undefined;
  // Flags that take a value, with their aliases: known once the command's builder has run.
  let valued = new Set<string>();
  for (const c of COMMANDS) {
    const builder = (y: Argv) => {
      const built = withKubectlHelp((c.builder ?? ((b: Argv) => b))(y), c.examples);
      // getOptions() is yargs' (untyped) view of the declared options; yargs is pinned and a unit test covers this.
      const o = (
        built as unknown as { getOptions(): { string: string[]; alias: Record<string, string[]> } }
      ).getOptions();
      valued = new Set(o.string.flatMap((k) => [k, ...(o.alias[k] ?? [])]));
      // One value each, taken even when it starts with a dash (`--max-attach -5s`), as pflag does.
      return built.nargs(Object.fromEntries(o.string.map((k) => [k, 1])));
    };
    parser.command(c.command, c.describe, builder, async (raw) => {
      ran = true;
      refuseMissingValues(argv, valued);
      const globals: GlobalOptions = parseGlobals(raw);
      verbose = globals.verbose;
      applyColor(globals.color);
      const command = c.command.split(' ')[0]!;
      if (globals.junit && c.judges === false)
        throw new UsageError(
          `--junit: ${command} judges nothing; use it with tour or a command that ends in a verdict`,
        );
      if (globals.junit) junit = { file: globals.junit, command, startedAt: new Date() };
      const report = await c.invoke(raw, { globals, interrupt, cluster });
      io.out(await formatReport(report, globals.output, globals.noHeaders, columns));
      if (junit) await writeJunit(junit, report.cases ?? [], report.facts ?? null, report.data);
      exitCode = report.ok ? EXIT.ok : EXIT.fail;
    });
  }
  const optionsExamples: Example[] = [
    ['kubectl sts-lab options', 'The flags every command takes'],
    ['kubectl sts-lab --context kind-lab -n my-lab status', 'Use them after the plugin name'],
  ];
  parser.command(
    OPTIONS_COMMAND.command,
    OPTIONS_COMMAND.describe,
    (y: Argv) => withKubectlHelp(y, optionsExamples),
    async () => {
      ran = true;
      io.out(await optionsHelp(helpWidth(columns)));
    },
  );
  try {
    await parser.parseAsync();
    // No subcommand: the help, as kubectl does (--help and --version have printed already).
    if (!ran && !argv.some((a) => ['--help', '-h', '--version'].includes(a))) io.out(await parser.getHelp());
    return exitCode;
  } catch (err) {
    if (junit && !(err instanceof UsageError)) await junitError(junit, err).catch(() => undefined);
    io.err(errorText(err, verbose));
    return exitCodeFor(err);
  }
}

async function writeJunit(
  j: { file: string; command: string; startedAt: Date },
  cases: TestCase[],
  facts: ClusterFacts | null,
  data: unknown,
): Promise<void> {
  // node: modules are imported statically: the single executable cannot import() them.
  const [{ suiteOf }, { junitXml }] = await Promise.all([
    import('./command-support/judged.ts'),
    import('./ui/junit.ts'),
  ]);
  try {
    await writeFile(j.file, junitXml(suiteOf(`sts-lab ${j.command}`, j.startedAt, cases, facts, data)));
  } catch (e) {
    throw new CliError(`cannot write --junit ${j.file}: ${(e as Error).message}`);
  }
}

/** A command that could not finish is one <error> case: CI shows why instead of a missing report. */
const junitError = (j: { file: string; command: string; startedAt: Date }, err: unknown) =>
  writeJunit(
    j,
    [
      {
        classname: `sts-lab.${j.command}`,
        name: j.command,
        result: 'ERROR',
        message: err instanceof Error ? err.message : String(err),
        evidence: err instanceof CliError && err.hint ? `hint: ${err.hint}` : '',
      },
    ],
    null,
    null,
  );

/** kubectl's wording for a mistyped subcommand, with a suggestion when one is close. */
function unknownCommand(msg: string, argv: string[]): string | undefined {
  const word = /^Unknown arguments?: (\S+?),?(\s|$)/.exec(msg)?.[1];
  const names = COMMANDS.map((c) => c.command.split(' ')[0]!);
  // With a known command on the line, the stray word is an extra argument, not a command.
  if (!word || !argv.includes(word) || argv.some((a) => names.includes(a))) return undefined;
  const close = names.filter((n) => editDistance(word, n) <= 2);
  return `unknown command "${word}" for "kubectl sts-lab"${close.length ? `; did you mean ${close.join(' or ')}?` : ''}`;
}

/** yargs' multi-line "Invalid values" message, as one line in kubectl's words. */
function invalidChoice(msg: string): string | undefined {
  const m = /^Invalid values?:\s+Argument: (\S+), Given: (.*?), Choices: (.*)$/s.exec(msg.trim());
  if (!m) return undefined;
  const choices = m[3]!
    .split(',')
    .map((c) => c.trim().replace(/^"|"$/g, ''))
    .join(', ');
  return `invalid argument ${m[2]!.trim()} for "--${m[1]}" flag: must be one of ${choices}`;
}

/**
 * A flag given without its value (`--replicas` last, or before another flag) or with an
 * empty one. yargs fills in the default or "", kubectl refuses both.
 */
function refuseMissingValues(argv: string[], valued: Set<string>): void {
  for (const [i, token] of argv.entries()) {
    if (token === '--') return;
    const m = /^(--?)([^=]+)(=?)(.*)$/.exec(token);
    if (!m || /^-\d/.test(token) || !valued.has(m[2]!)) continue;
    const flag = `${m[1]}${m[2]}`;
    const next = argv[i + 1];
    if (m[3] === '=' ? m[4] === '' : next === '')
      throw new UsageError(`invalid argument "" for "${flag}" flag: must not be empty`);
    // A negative number is a value (and gets its own error); anything else that starts with - is a flag.
    if (!m[3] && (next === undefined || (next.startsWith('-') && !/^-\d/.test(next))))
      throw new UsageError(`flag needs an argument: ${flag}`);
  }
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** Errors whose message is the whole story; anything else is a bug worth a stack trace under -v. */
const isExpected = (e: Error): boolean => e instanceof CliError || e instanceof UsageError;

function errorText(err: unknown, verbose: boolean): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const message = e instanceof UsageError ? e.message.charAt(0).toLowerCase() + e.message.slice(1) : e.message;
  const lines = [`${paint('red', 'error:')} ${message}`];
  if (e instanceof UsageError) lines.push("See 'kubectl sts-lab --help' for usage.");
  // The error line stays one line, for scripts that grep it; the hint is prose.
  if (e instanceof CliError && e.hint) lines.push(...wrapLine(`hint: ${e.hint}`, stderrProseWidth()));
  if (verbose && !isExpected(e) && e.stack) lines.push(e.stack);
  // -v: what the API or the network said, in full.
  if (verbose && e.cause) lines.push(`debug: ${e.cause instanceof Error ? e.cause.message : String(e.cause)}`);
  return `${lines.join('\n')}\n`;
}
