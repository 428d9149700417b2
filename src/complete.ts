// `kubectl-sts_lab __complete WORDS… CURRENT`: the completion protocol kubectl (>= 1.26)
// speaks with a plugin's kubectl_complete-<name> helper, and the shell scripts of
// `completion` use: candidates one per line ("value<TAB>description"), then ":<directive>".
// Cluster values (namespaces, the lab's ordinals) are asked for with a short timeout;
// any failure just means no candidates.
import yargs, { type Argv } from 'yargs';
import type { Registered } from './command-support/command.ts';
import { SHELLS } from './commands/completion.ts';
import { VERIFIABLE } from './lessons/registry.ts';
import type { Lab } from './k8s/index.ts';
import { loadK8s } from './load-k8s.ts';
import { DEFAULT_NAMES, podName, type LabNames } from './lab/names.ts';
import { labOrdinals } from './lab/ordinals.ts';
import { COLOR_MODES, globalFlags, OPTIONS_COMMAND, OUTPUT_FORMATS, PROGRESS_MODES } from './options.ts';

const NO_FILES = 4;
const FILES = 0;
const CLUSTER_TIMEOUT_MS = 2000;

interface Flag {
  names: string[];
  valued: boolean;
}

type Options = { string: string[]; boolean: string[]; alias: Record<string, string[]>; key: Record<string, boolean> };

function flagsOf(build: (y: Argv) => Argv): Flag[] {
  // getOptions() is yargs' (untyped) view of the declared options.
  const y = build(yargs([]));
  const o = (y as unknown as { getOptions(): Options }).getOptions();
  const aliases = new Set(Object.values(o.alias).flat());
  return Object.keys(o.key)
    .filter(
      (k) =>
        !aliases.has(k) &&
        !['help', 'version', '$0', '_'].includes(k) &&
        (o.string.includes(k) || o.boolean.includes(k)),
    )
    .map((k) => ({ names: [k, ...(o.alias[k] ?? [])], valued: o.string.includes(k) }));
}

const dash = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

export async function complete(words: string[], commands: Registered[], interrupt: AbortSignal): Promise<string> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const globals = flagsOf((y) => globalFlags(y));
  const valuedGlobal = new Set(globals.filter((f) => f.valued).flatMap((f) => f.names.map(dash)));
  // The subcommand is the first word that is neither a flag nor a flag's value.
  const given: Record<string, string> = {};
  let commandName: string | undefined;
  let positionals = 0;
  for (let i = 0; i < before.length; i++) {
    const w = before[i]!;
    if (w.startsWith('-')) {
      const [flag, value] = w.split('=', 2);
      if (value === undefined && valuedGlobal.has(flag!) && i + 1 < before.length) given[flag!] = before[++i]!;
      else if (value !== undefined) given[flag!] = value;
    } else if (!commandName) commandName = w;
    else positionals++;
  }
  const command = commands.find((c) => c.command.split(' ')[0] === commandName);
  const flags = [...globals, ...(command?.builder ? flagsOf(command.builder) : [])];
  const previous = before.at(-1);
  const pending =
    previous?.startsWith('-') && !previous.includes('=')
      ? flags.find((f) => f.valued && f.names.map(dash).includes(previous))
      : undefined;
  let candidates: string[] = [];
  let directive = NO_FILES;
  if (pending) {
    const name = pending.names[0]!;
    if (name === 'kubeconfig' || name === 'report' || name === 'message-file') directive = FILES;
    else candidates = await flagValues(name, given, interrupt);
  } else if (current.startsWith('-')) {
    candidates = flags.flatMap((f) => f.names.map(dash));
  } else if (!command) {
    candidates = [...commands, OPTIONS_COMMAND].map((c) => `${c.command.split(' ')[0]}\t${c.describe}`);
  } else if (commandName === 'completion' && positionals === 0) {
    candidates = [...SHELLS];
  } else if (commandName === 'verify' && positionals === 0) {
    candidates = VERIFIABLE.map((l) => l.name);
  } else if (command.args === 'ordinals') {
    candidates = await ordinals(given, interrupt);
  }
  const shown = candidates.filter((c) => c.startsWith(current));
  return `${[...shown, `:${directive}`].join('\n')}\n`;
}

async function flagValues(name: string, given: Record<string, string>, interrupt: AbortSignal): Promise<string[]> {
  switch (name) {
    case 'output':
      return [...OUTPUT_FORMATS];
    case 'color':
      return [...COLOR_MODES];
    case 'progress':
      return [...PROGRESS_MODES];
    case 'context':
      return loadK8s()
        .then((k) => k.contextNames(given['--kubeconfig']))
        .catch(() => []);
    case 'namespace':
      return cluster(given, interrupt, labNames(given), (lab) => lab.namespaceNames());
    default:
      return [];
  }
}

/** The lab the words typed so far name (-n, --name), with sts-lab's defaults. */
const labNames = (given: Record<string, string>): LabNames => ({
  namespace: given['-n'] ?? given['--namespace'] ?? DEFAULT_NAMES.namespace,
  statefulSet: given['--name'] ?? DEFAULT_NAMES.statefulSet,
  service: given['--service'] ?? DEFAULT_NAMES.service,
});

const connection = (given: Record<string, string>) => ({
  kubeconfig: given['--kubeconfig'],
  context: given['--context'],
  requestTimeoutMs: CLUSTER_TIMEOUT_MS,
});

/** The lab's pod ordinals, from its StatefulSet. */
function ordinals(given: Record<string, string>, interrupt: AbortSignal): Promise<string[]> {
  return cluster(given, interrupt, labNames(given), async (lab) => {
    const sts = await lab.findStatefulSet();
    return (sts ? labOrdinals(sts) : []).map((i) => `${i}\t${podName(lab.names, i)}`);
  });
}

/** Asks the cluster with a short timeout; any failure is no candidates. */
async function cluster(
  given: Record<string, string>,
  interrupt: AbortSignal,
  names: LabNames,
  ask: (lab: Lab) => Promise<string[]>,
): Promise<string[]> {
  try {
    const k = await loadK8s();
    return await ask(new k.LabSession(k.connect(connection(given), interrupt), names));
  } catch {
    return [];
  }
}
