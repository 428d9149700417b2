// Finding the lab a command acts on, and checking the ordinals it was given.
import { CliError, UsageError } from '../errors.ts';
import type { Lab, V1StatefulSet } from '../k8s/index.ts';
import { loadK8s } from '../load-k8s.ts';
import { isManaged, podName, type LabNames } from '../lab/names.ts';
import { labOrdinals, ordinalsText, type OrdinalSpec } from '../lab/ordinals.ts';
import { resolveNames } from '../lab/foreign.ts';
import type { RunContext } from './command.ts';

// Keyed by the run's Ctrl-C signal: a step's context (tour --hands-on adds to it) is the same run.
const sessions = new WeakMap<AbortSignal, Map<string, Lab>>();

/**
 * The lab on the cluster the global flags name; the cluster layer is loaded now, not at
 * start-up. Commands run with the same context (a tour's steps) share one session and its watches.
 */
export async function connectLab(ctx: RunContext, names: LabNames): Promise<Lab> {
  const k = await loadK8s();
  const byNames = sessions.get(ctx.interrupt) ?? new Map<string, Lab>();
  sessions.set(ctx.interrupt, byNames);
  const key = [names.namespace, names.statefulSet, names.service, names.claim, names.selector].join('/');
  const lab = byNames.get(key) ?? new k.LabSession(ctx.cluster ?? k.connect(ctx.globals, ctx.interrupt), names);
  byNames.set(key, lab);
  return lab;
}

/** The StatefulSet the names give, whoever made it. */
async function findStatefulSet(lab: Lab): Promise<V1StatefulSet> {
  const n = lab.names;
  const sts = await lab.findStatefulSet();
  if (!sts)
    throw new CliError(
      `statefulset.apps "${n.statefulSet}" not found in namespace "${n.namespace}"`,
      'run `kubectl sts-lab setup` first',
    );
  return sts;
}

/** The lab's StatefulSet; sts-lab changes only the one it created. */
export async function ownStatefulSet(lab: Lab): Promise<V1StatefulSet> {
  const n = lab.names;
  const sts = await findStatefulSet(lab);
  refuseForeign(n, sts);
  return sts;
}

/** A command that changes things stops at a StatefulSet sts-lab did not make, in one line. */
export function refuseForeign(n: LabNames, sts: V1StatefulSet): void {
  if (!isManaged(sts.metadata?.labels))
    throw new CliError(
      `statefulset.apps "${n.statefulSet}" in namespace "${n.namespace}" was not created by sts-lab: sts-lab changes only its own (status, watch-order, dns, history, check-persistence and verify only look, and work on it)`,
    );
}

/**
 * For a command that only looks: the StatefulSet, sts-lab's or any other (the tutorial's web),
 * and a lab whose pods and claims are that StatefulSet's own (its selector, its claim template).
 */
export async function lookAt(ctx: RunContext, names: LabNames): Promise<{ lab: Lab; sts: V1StatefulSet }> {
  const first = await connectLab(ctx, names);
  const sts = await findStatefulSet(first);
  const resolved = resolveNames(names, sts);
  return { lab: resolved === names ? first : await connectLab(ctx, resolved), sts };
}

/** The lab, its StatefulSet and the one pod a command acts on; an ordinal it does not have is a usage error. */
export async function connectToPod(
  ctx: RunContext,
  names: LabNames,
  ordinal: number,
): Promise<{ lab: Lab; sts: V1StatefulSet; name: string }> {
  const lab = await connectLab(ctx, names);
  const sts = await ownStatefulSet(lab);
  checkOrdinals([ordinal], sts, names);
  return { lab, sts, name: podName(names, ordinal) };
}

/** Ordinals as typed: whole numbers only (usage error otherwise). */
export function parseOrdinals(raw: unknown): number[] {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((r) => {
    const text = String(r);
    if (!/^\d+$/.test(text))
      throw new UsageError(`invalid ordinal "${text}": must be a whole number (1 for nginx-sts-1)`);
    return Number(text);
  });
}

/** The one ordinal a command acts on (kill-pod 1, unready 1). */
export function requiredOrdinal(raw: unknown): number {
  const [ordinal] = parseOrdinals(raw);
  if (ordinal === undefined) throw new UsageError('an ordinal is required');
  return ordinal;
}

/** An ordinal the StatefulSet does not have is a usage error: nothing is touched. */
export function checkOrdinals(ordinals: number[], sts: OrdinalSpec, n: LabNames): void {
  const have = labOrdinals(sts);
  const bad = ordinals.filter((o) => !have.includes(o));
  if (bad.length) {
    throw new UsageError(
      `statefulset.apps/${n.statefulSet} has ${have.length} replica${have.length === 1 ? '' : 's'} (${ordinalsText(have)}): no ordinal ${bad.join(', ')}`,
    );
  }
}

/** Promise.all, but when several requests fail the first one's error is the one reported, every time. */
export async function allInOrder<T extends readonly unknown[]>(promises: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
