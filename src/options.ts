// The flags every subcommand takes, kubectl's names and meanings (plugins do not inherit
// kubectl's own flags, so sts-lab brings them).
import type { Argv, Options } from 'yargs';
import { writableFile } from './command-support/output-file.ts';
import { asUsage } from './errors.ts';
import { parseDuration } from './lab/duration.ts';
import { DEFAULT_NAMES, type LabNames } from './lab/names.ts';
import { dnsLabel, statefulSetName } from './lab/validate.ts';

/** `kubectl sts-lab options`, as kubectl's: the help lists these flags, the commands' help points here. */
export const OPTIONS_COMMAND = {
  command: 'options',
  describe: 'The flags every command takes (kubeconfig, context, namespace, output…)',
} as const;
export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;
export const COLOR_MODES = ['auto', 'always', 'never'] as const;
export const PROGRESS_MODES = ['auto', 'plain', 'none'] as const;

export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type ColorMode = (typeof COLOR_MODES)[number];
export type ProgressMode = (typeof PROGRESS_MODES)[number];

export interface ConnectionOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  /** 0 means no limit, as in kubectl. */
  requestTimeoutMs: number;
}

export interface GlobalOptions extends ConnectionOptions {
  names: LabNames;
  /** -n was given: a command with a namespace of its own (tour --part storage) keeps to it only then. */
  namespaceGiven: boolean;
  output: OutputFormat;
  noHeaders: boolean;
  color: ColorMode;
  progress: ProgressMode;
  verbose: boolean;
  timeoutMs: number;
  /** --junit FILE: the verdicts as JUnit XML, for CI. */
  junit?: string | undefined;
}

/** The flags every command takes; their help is `kubectl sts-lab options`, as kubectl's is `kubectl options`. */
const GLOBAL_FLAGS = {
  kubeconfig: {
    type: 'string',
    describe: 'Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)',
  },
  context: { type: 'string', describe: 'The kubeconfig context to use' },
  namespace: {
    alias: 'n',
    type: 'string',
    describe: 'Namespace of the lab (default: scenarios; sts-lab-smoke for tour --part storage)',
  },
  'request-timeout': {
    type: 'string',
    default: '0',
    describe: 'Time to wait for one API request (e.g. 30s); 0 = no limit',
  },
  timeout: {
    type: 'string',
    default: '5m',
    describe: 'How long to wait for the cluster to reach a state (e.g. 90s, 5m)',
  },
  output: {
    alias: 'o',
    type: 'string',
    choices: OUTPUT_FORMATS,
    default: 'table',
    describe: 'Output format: table, wide (more columns), json or yaml',
  },
  'no-headers': { type: 'boolean', default: false, describe: 'Print tables without their header row' },
  color: {
    type: 'string',
    choices: COLOR_MODES,
    default: 'auto',
    describe: 'Colour output (auto: only on a terminal, off with NO_COLOR)',
  },
  progress: {
    type: 'string',
    choices: PROGRESS_MODES,
    default: 'auto',
    describe: 'Progress on stderr: auto (live on a terminal), plain (one line per step), none',
  },
  junit: {
    type: 'string',
    describe: 'Also write the verdicts as JUnit XML to this file, for CI (tour and every command that judges)',
  },
  name: { type: 'string', default: DEFAULT_NAMES.statefulSet, describe: 'Name of the StatefulSet' },
  service: { type: 'string', default: DEFAULT_NAMES.service, describe: 'Name of the headless Service' },
  claim: {
    type: 'string',
    describe: 'Name of the claim template (default: data; for a StatefulSet sts-lab did not make, its only one)',
  },
  verbose: {
    alias: 'v',
    type: 'boolean',
    default: false,
    describe: 'Show debug detail (request errors in full, stack traces)',
  },
} satisfies Record<string, Options>;

/** The global flags on a parser: hidden from a command's help (shown: for the options command). */
export function globalFlags<T>(y: Argv<T>, shown = false) {
  const flags: Record<string, Options> = {};
  for (const [k, o] of Object.entries(GLOBAL_FLAGS)) flags[k] = { ...o, hidden: !shown };
  return y.options(flags);
}

type RawGlobals = Record<string, unknown>;

export function parseGlobals(a: RawGlobals): GlobalOptions {
  const str = (k: string) => (a[k] === undefined ? undefined : String(a[k]));
  return asUsage(() => ({
    kubeconfig: str('kubeconfig'),
    context: str('context'),
    requestTimeoutMs: parseDuration(str('request-timeout') ?? '0'),
    timeoutMs: positive('--timeout', parseDuration(str('timeout') ?? '5m')),
    names: {
      namespace: dnsLabel('namespace', str('namespace') ?? DEFAULT_NAMES.namespace),
      statefulSet: statefulSetName(str('name') ?? DEFAULT_NAMES.statefulSet),
      service: dnsLabel('--service', str('service') ?? DEFAULT_NAMES.service),
      claim: a['claim'] === undefined ? undefined : dnsLabel('--claim', String(a['claim'])),
    },
    namespaceGiven: a['namespace'] !== undefined,
    output: (str('output') ?? 'table') as OutputFormat,
    // yargs turns --no-headers into headers=false.
    noHeaders: a['headers'] === false || a['no-headers'] === true,
    color: (str('color') ?? 'auto') as ColorMode,
    progress: (str('progress') ?? 'auto') as ProgressMode,
    verbose: a['verbose'] === true,
    junit: a['junit'] === undefined ? undefined : writableFile('--junit', String(a['junit'])),
  }));
}

function positive(flag: string, ms: number): number {
  if (ms <= 0) throw new Error(`invalid ${flag}: must be greater than zero`);
  return ms;
}
