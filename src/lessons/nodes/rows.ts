// The nodes lesson's report rows: each judged from the checks its drain or node-failure run made.
import type { Check } from './judge.ts';
import type { RowSpec } from '../lesson.ts';
import { combine, type Result } from '../../lab/verdict.ts';
import { formatDuration } from '../../lab/duration.ts';
import type { NodesEvidence } from './steps.ts';

const find = (checks: Check[], prefix: string) => checks.filter((c) => c.check.startsWith(prefix));
const resultOf = (checks: Check[]): Result => (checks.length ? combine(...checks.map((c) => c.result)) : 'FAIL');
const said = (checks: Check[]) => checks.map((c) => `${c.check}: ${c.observed}`).join('; ');
const notRun = (why: string) => ({ result: 'N/A' as const, evidence: why });

export const rows: RowSpec<NodesEvidence>[] = [
  {
    part: 'nodes',
    concept: 'Drain respects the budget',
    outcome: () =>
      'Never more than one lab pod unavailable; a second eviction is refused (429) until the first pod is back',
    judge: ({ drainPinned, drainMoving }) => {
      if (!drainPinned) return undefined;
      const drains = [drainPinned, drainMoving ?? undefined].filter((d) => d !== undefined);
      const checks = drains.map((d) => [
        ...find(d.verdict.checks, 'budget held'),
        ...find(d.verdict.checks, 'a second eviction'),
      ]);
      return {
        result: resultOf(checks.flat()),
        evidence: drains.map((d, i) => `drain of ${d.node}: ${said(checks[i]!)}`).join('; '),
      };
    },
  },
  {
    part: 'nodes',
    concept: 'Pinned storage keeps the pod',
    outcome: () =>
      "On a volume pinned to the drained node the re-created pod stays Pending, with the scheduler's reason",
    judge: ({ drainPinned: d }) => {
      if (!d) return undefined;
      if (d.pinned === null) return notRun("the volume's node affinity cannot be read (PersistentVolumes)");
      if (!d.pinned) return notRun(`the default class's volume is not pinned to ${d.node}`);
      const checks = find(d.verdict.checks, `${d.pod} kept`);
      return { result: resultOf(checks), evidence: said(checks) };
    },
  },
  {
    part: 'nodes',
    concept: 'Data follows the pod',
    outcome: () => 'On a volume that is not pinned the pod runs on another node with the same claim, volume and bytes',
    judge: ({ drainMoving: d }) => {
      if (d === undefined) return undefined;
      if (d === null) return notRun('no --storage-class with volumes that can follow a pod');
      if (d.pinned) return notRun(`--storage-class's volume is pinned to ${d.node}`);
      const checks = [
        ...find(d.verdict.checks, `${d.pod} moved`),
        ...find(d.verdict.checks, `${d.pod} claim`),
        ...find(d.verdict.checks, 'same bytes'),
      ];
      return { result: resultOf(checks), evidence: said(checks) };
    },
  },
  {
    part: 'nodes',
    concept: 'At most one pod per identity',
    outcome: (n) => `While a failed node may still run ${n.statefulSet}-1, no second pod of that name is created`,
    judge: ({ nodeFailure: f }) => {
      if (f === undefined) return undefined;
      if (f === null) return notRun('no --fail-with/--recover-with: the node failure was skipped');
      const checks = [...find(f.verdict.checks, 'at most one'), ...find(f.verdict.checks, 'recovery')];
      return { result: resultOf(checks), evidence: said(checks) };
    },
  },
  {
    part: 'nodes',
    concept: 'Failover time',
    outcome: () => 'The time from the node failing (or the eviction) to the pod Ready again, measured',
    judge: ({ nodeFailure: f, drainMoving: d }) => {
      if (f === undefined && d === undefined) return undefined;
      const parts: string[] = [];
      const results: Result[] = [];
      for (const m of d?.moved ?? []) {
        parts.push(
          `drain: ${m.pod} evicted → Ready on ${m.node} in ${m.evictedToReadyMs === null ? 'never' : formatDuration(m.evictedToReadyMs)}`,
        );
        results.push(m.evictedToReadyMs === null ? 'FAIL' : 'PASS');
      }
      if (f) {
        const ms = f.replacement.failoverMs;
        parts.push(
          `node failure (${f.recovery}): Ready again ${ms === null ? 'never' : formatDuration(ms)} after the failure (Unknown after ${formatDuration(f.detected.afterMs ?? 0)}, evicted ${formatDuration(f.eviction.afterTaintMs ?? 0)} after the taint)`,
        );
        results.push(ms === null ? 'FAIL' : 'PASS');
      }
      return results.length
        ? { result: combine(...results), evidence: parts.join('; ') }
        : notRun('nothing was failed over');
    },
  },
];
