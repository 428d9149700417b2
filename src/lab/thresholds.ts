// Thresholds turn a measured time into a verdict, for CI: --max-ready (setup from nothing to
// every pod Ready), --max-recovery (a killed pod, or a failed node's pod, Ready again), and
// --max-attach (a claim bound and its volume attached). A time over its limit is a FAIL that
// names the figure and the limit; a time that was not measured fails too, for a limit asked for.
import { formatDuration, parseDuration } from './duration.ts';
import { passIf, verdict, type Verdict } from './verdict.ts';

export const THRESHOLD_FLAGS = ['max-ready', 'max-recovery', 'max-attach'] as const;
export type ThresholdFlag = (typeof THRESHOLD_FLAGS)[number];

/** The limits a command was given, in ms. */
export type Limits = Partial<Record<ThresholdFlag, number>>;

export interface ThresholdCheck {
  flag: ThresholdFlag;
  what: string;
  measuredMs: number | null;
  limitMs: number;
  ok: boolean;
}

const DESCRIBE: Record<ThresholdFlag, string> = {
  'max-ready': 'Fail when setup takes longer than this from nothing to every pod Ready (e.g. 2m)',
  'max-recovery': 'Fail when a pod takes longer than this to be Ready again after it is lost (e.g. 90s)',
  'max-attach': 'Fail when a claim takes longer than this to be bound and its volume attached (e.g. 30s)',
};

/** The yargs options for the flags a command measures. */
export const thresholdOptions = (flags: readonly ThresholdFlag[]) =>
  Object.fromEntries(flags.map((f) => [f, { type: 'string' as const, describe: DESCRIBE[f] }]));

/** A limit as typed: a duration greater than zero (a usage error otherwise: nothing is sent). */
export function parseLimits(a: Record<string, unknown>, flags: readonly ThresholdFlag[]): Limits {
  const limits: Limits = {};
  for (const f of flags) {
    if (a[f] === undefined) continue;
    const ms = parseDuration(String(a[f]));
    if (ms <= 0) throw new Error(`invalid --${f} "${String(a[f])}": must be greater than zero`);
    limits[f] = ms;
  }
  return limits;
}

/** measured: what was timed for each flag (null: not measured). undefined when no limit was asked for. */
export function thresholdVerdict(
  limits: Limits,
  measured: Partial<Record<ThresholdFlag, { what: string; ms: number | null }>>,
): Verdict<ThresholdCheck> | null {
  const checks: ThresholdCheck[] = THRESHOLD_FLAGS.filter((f) => limits[f] !== undefined).map((flag) => {
    const m = measured[flag] ?? { what: flag, ms: null };
    const limitMs = limits[flag]!;
    return { flag, what: m.what, measuredMs: m.ms, limitMs, ok: m.ms !== null && m.ms <= limitMs };
  });
  if (!checks.length) return null;
  const text = (c: ThresholdCheck) =>
    c.measuredMs === null
      ? `${c.what}: not measured (--${c.flag} ${formatDuration(c.limitMs)})`
      : `${c.what} ${formatDuration(c.measuredMs)} ${c.ok ? 'within' : 'over'} --${c.flag} ${formatDuration(c.limitMs)}`;
  const failed = checks.filter((c) => !c.ok);
  return verdict(
    passIf(!failed.length),
    failed.length
      ? `Over the limit: ${failed.map(text).join('; ')}`
      : `Within the limits: ${checks.map(text).join('; ')}`,
    failed.length ? checks.filter((c) => c.ok).map(text) : [],
    checks,
  );
}
