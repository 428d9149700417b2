// The lab report rows of the tour's lifecycle part, made of nothing but the -o json data of
// its steps: unready/ready, scale, dns, orphan, setup (adoption, start ordinal), check-persistence,
// watch-order, teardown.
import type { Judged } from '../lessons/updates/rows.ts';
import { combine, passIf, type Verdict } from '../lab/verdict.ts';

interface Lookup {
  name: string;
  expect: string;
  outcome: string;
  ok: boolean;
}

export interface LifecycleEvidence {
  /** The pod made unready for the lessons. */
  unreadyPod?: string;
  dnsWhileUnready?: { verdict: Verdict<unknown>; lookups: Lookup[] };
  dnsAfterReady?: { verdict: Verdict<unknown>; lookups: Lookup[] };
  halted?: { halted: { pod: string } | null; verdict: Verdict<{ ok: boolean | null }> };
  resumed?: { resumed: string[]; verdict: Verdict<unknown> };
  orphan?: { verdict: Verdict<unknown>; pods: { pod: string; uidBefore: string }[]; deletedPod: { pod: string } | null };
  adopted?: { pod: string; uid: string; owner: string | null }[];
  persist?: { verdict: Verdict<unknown> };
  /** The pods before and after setup --start-ordinal, and that setup's verdict. */
  shift?: { before: { pod: string; uid: string | null }[]; after: { ordinal: number; pod: string; uid: string | null }[]; verdict: Verdict<unknown> | null };
  /** watch-order --restart after the shift: its creation checks, in the order the API committed them. */
  reordered?: { verdict: Verdict<{ kind: string; ordinal: number; evidence: string }> };
}

export interface TeardownEvidence {
  cascade?: { verdict: Verdict<unknown> } | null;
  claimsByController?: { verdict: Verdict<unknown>; claims: { pvc: string }[] } | null;
}

const lookupOf = (d: { lookups: Lookup[] } | undefined, pod: string) => d?.lookups.find((l) => l.name.startsWith(`${pod}.`));

export function scalingHalts(l: LifecycleEvidence): Judged | undefined {
  if (!l.halted || !l.resumed || !l.unreadyPod) return undefined;
  const stopped = l.halted.halted?.pod === l.unreadyPod && l.halted.verdict.checks.every((c) => c.ok === true);
  return {
    result: combine(passIf(stopped), l.resumed.verdict.result, passIf(l.resumed.resumed.length > 0)),
    evidence: `${stopped ? `scale-up halted at ${l.unreadyPod}, nothing created above it` : 'the scale-up did not halt'}; once Ready: ${l.resumed.resumed.join(', ') || 'nothing'} created in order`,
  };
}

export function dnsFollowsReadiness(l: LifecycleEvidence): Judged | undefined {
  if (!l.dnsWhileUnready || !l.dnsAfterReady || !l.unreadyPod) return undefined;
  const gone = lookupOf(l.dnsWhileUnready, l.unreadyPod);
  const back = lookupOf(l.dnsAfterReady, l.unreadyPod);
  const held = gone?.expect === 'nxdomain' && gone.ok && back?.expect === 'answer' && back.ok;
  return {
    result: combine(l.dnsWhileUnready.verdict.result, l.dnsAfterReady.verdict.result, passIf(Boolean(held))),
    evidence: `${l.unreadyPod} not Ready: ${gone?.outcome ?? 'not asked'}; Ready again: ${back?.outcome ?? 'not asked'}`,
  };
}

export function orphanAndAdopt(l: LifecycleEvidence): Judged | undefined {
  if (!l.orphan || !l.adopted || !l.persist) return undefined;
  const kept = l.orphan.pods.filter((p) => p.pod !== l.orphan!.deletedPod?.pod);
  const adoptedSame = kept.every((p) => l.adopted!.some((a) => a.pod === p.pod && a.uid === p.uidBefore && a.owner));
  return {
    result: combine(l.orphan.verdict.result, passIf(kept.length > 0 && adoptedSame), l.persist.verdict.result),
    evidence: `orphaned ${kept.map((p) => p.pod).join(', ')}${l.orphan.deletedPod ? ` (${l.orphan.deletedPod.pod} deleted, not re-created)` : ''}; adopted with the same UIDs: ${adoptedSame ? 'yes' : 'no'}; data: ${l.persist.verdict.result}`,
  };
}

export function startOrdinalShift(l: LifecycleEvidence): Judged | undefined {
  if (!l.shift || !l.reordered) return undefined;
  const { before, after, verdict: v } = l.shift;
  if (v?.result === 'N/A') return { result: 'N/A', evidence: v.headline };
  const was = new Map(before.map((p) => [p.pod, p.uid]));
  const kept = after.filter((p) => was.has(p.pod));
  const keptSame = kept.length > 0 && kept.every((p) => was.get(p.pod) === p.uid);
  const added = after.filter((p) => !was.has(p.pod)).map((p) => p.pod);
  const removed = before.filter((b) => !after.some((p) => p.pod === b.pod)).map((b) => b.pod);
  const first = l.reordered.verdict.checks.find((c) => c.kind === 'create' && c.evidence === 'watch')?.ordinal;
  const firstPod = after.find((p) => p.ordinal === first)?.pod;
  return {
    result: combine(v?.result ?? 'FAIL', passIf(keptSame && added.length > 0 && removed.length > 0), l.reordered.verdict.result, passIf(first !== undefined && first === after[0]?.ordinal)),
    evidence: `${kept.map((p) => p.pod).join(', ')} kept ${keptSame ? 'their UIDs' : 'NOT their UIDs'}, ${added.join(', ') || 'nothing'} created, ${removed.join(', ') || 'nothing'} removed; re-created in order, first ${firstPod ?? `ordinal ${first ?? 'none'}`}`,
  };
}

export function cascadingDelete(t: TeardownEvidence | undefined): Judged | undefined {
  if (!t?.cascade) return undefined;
  return { result: t.cascade.verdict.result, evidence: t.cascade.verdict.headline };
}

export function claimsByController(t: TeardownEvidence | undefined): Judged | undefined {
  if (!t?.claimsByController) return undefined;
  return { result: t.claimsByController.verdict.result, evidence: t.claimsByController.verdict.headline };
}
