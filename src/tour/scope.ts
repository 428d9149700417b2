// What a tour part is made of: steps that run the subcommands a learner would type, with
// options as data, and keep their typed -o json data as the evidence of the lab report.
import { CliError } from '../errors.ts';
import { cleanupHeld, claimsHeld, TOUR_REPLICAS, type RowResult, type TourEvidence } from '../report/lab-report.ts';
import type { LabNames } from '../lab/names.ts';
import { passIf } from '../lab/verdict.ts';
import type { Command, RunContext } from '../command-support/command.ts';
import setup, { type PodSettings } from '../commands/setup.ts';
import teardown from '../lessons/cleanup/teardown.ts';
import writeData, { writeHeld } from '../lessons/storage/write-data.ts';

export interface TourStep {
  title: string;
  run: () => Promise<{ result: RowResult; notes: string[] }>;
}

export interface TourScope {
  names: LabNames;
  pod: PodSettings;
  ctx: RunContext;
  evidence: TourEvidence;
  serverVersion: string | null;
  cluster: { context: string; server: string } | null;
  call<O, D>(cmd: Command<O, D>, options: O): Promise<D>;
}

/** A step judged by its command's verdict: its result, its headline, then what it teaches. */
export const verdictOutcome = (v: { result: RowResult; headline: string }, ...lessons: string[]): { result: RowResult; notes: string[] } => ({
  result: v.result,
  notes: [`${v.result}: ${v.headline}.`, ...lessons],
});

export const setupStep = (s: TourScope, updateStrategy?: 'OnDelete'): TourStep => ({
  title: updateStrategy ? 'Switch the StatefulSet to updateStrategy OnDelete' : 'Create the namespace, the headless Service and the StatefulSet',
  run: async () => {
    const n = s.names;
    const settings = { ...n, ...s.pod, replicas: TOUR_REPLICAS, podManagementPolicy: 'OrderedReady' as const, updateStrategy };
    const r = await s.call(setup, { settings, dryRun: false });
    if (!('pods' in r)) throw new CliError('setup made a dry run');
    s.serverVersion = r.serverVersion ?? null;
    s.cluster = { context: r.context, server: r.server };
    // A lab left scaled (by the seed part, or an interrupted tour) is scaled back to 3 by setup itself.
    const pods = r.pods.filter((p) => p.ordinal < TOUR_REPLICAS);
    s.evidence.setupPods ??= pods;
    return {
      result: passIf(claimsHeld(pods)),
      notes: updateStrategy
        ? [
            `statefulset.apps/${n.statefulSet} now has updateStrategy OnDelete (${r.applied.find((a) => a.kind === 'statefulset.apps')?.action ?? 'applied'}): the pods kept running as they were.`,
            'From now on a template change is recorded as a revision, and a pod takes it only when it is deleted.',
          ]
        : [
            `The headless Service ${n.service} has clusterIP None: DNS will hand out one record per pod instead of one virtual IP.`,
            `The StatefulSet's claim template "data" gave each pod its own PersistentVolumeClaim, data-${n.statefulSet}-N, bound by the StorageClass's provisioner.`,
          ],
    };
  },
});

export const writeDataStep = (s: TourScope): TourStep => ({
  title: 'Write data into every pod\'s volume',
  run: async () => {
    const r = await s.call(writeData, { names: s.names, ordinals: [], execTimeoutMs: 60_000 });
    return {
      result: passIf(r.written.length === TOUR_REPLICAS && r.written.every(writeHeld)),
      notes: [
        `Wrote ${r.written.length} marker files (${r.file}) through exec, and recorded their sha256 in configmap/sts-lab-journal.`,
        `Each file lands on its pod's own volume (claim data-${s.names.statefulSet}-N), not in the container's throw-away filesystem.`,
      ],
    };
  },
});

/** cascade: delete the StatefulSet with its pods at once (the lifecycle part's lesson) instead of scaling to 0 first. */
export const teardownStep = (s: TourScope, cascade = false): TourStep => ({
  title: cascade ? 'Tear everything down with a cascading delete, claims included' : 'Tear everything down, claims included',
  run: async () => {
    const r = (s.evidence.teardown = await s.call(teardown, { names: s.names, keepPvcs: false, keepNamespace: false, noScaleDown: cascade }));
    return { result: passIf(cleanupHeld(r)), notes: [`Removed: ${r.removals.filter((x) => x.action === 'deleted').map((x) => x.resource).join(', ')}.`] };
  },
});
