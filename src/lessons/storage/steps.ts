// The storage lesson in the tour: the lab set up with a claim per pod, data written into
// every pod's volume, and read back after a pod was re-created.
import { CliError } from '../../errors.ts';
import type { PodRow } from '../../lab/pod-rows.ts';
import { passIf, type Verdict } from '../../lab/verdict.ts';
import setup, { claimsHeld } from '../../commands/setup.ts';
import {
  TOUR_REPLICAS,
  tourSettings,
  verdictOutcome,
  type StepFactory,
  type TourScope,
  type TourStep,
} from '../../tour/scope.ts';
import checkPersistence from './check-persistence.ts';
import type { PersistenceRow } from './judge.ts';
import writeData, { writeHeld } from './write-data.ts';

export interface StorageEvidence {
  /** The pods as the first setup of the tour left them. */
  setupPods?: PodRow[];
  persist?: { verdict: Verdict<unknown>; pods: PersistenceRow[] };
}

/** The tour's three pods, each Ready with a Bound claim and a volume of its own. */
export const tourClaimsHeld = (pods: PodRow[]): boolean => pods.length === TOUR_REPLICAS && claimsHeld(pods);

const setupWith = (s: TourScope<StorageEvidence>, updateStrategy?: 'OnDelete'): TourStep => ({
  title: updateStrategy
    ? 'Switch the StatefulSet to updateStrategy OnDelete'
    : 'Create the namespace, the headless Service and the StatefulSet',
  run: async () => {
    const n = s.names;
    const r = await s.call(setup, { settings: { ...tourSettings(s), updateStrategy }, dryRun: false });
    if (!('pods' in r)) throw new CliError('setup made a dry run');
    s.serverVersion = r.serverVersion ?? null;
    s.cluster = { context: r.context, server: r.server };
    // A lab left scaled (by the seed part, or an interrupted tour) is scaled back to 3 by setup itself.
    const pods = r.pods.filter((p) => p.ordinal < TOUR_REPLICAS);
    s.evidence.setupPods ??= pods;
    return {
      result: passIf(tourClaimsHeld(pods)),
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

export const setUp: StepFactory<StorageEvidence> = (s) => setupWith(s);
export const switchToOnDelete: StepFactory<StorageEvidence> = (s) => setupWith(s, 'OnDelete');

export const write: StepFactory<StorageEvidence> = (s) => ({
  title: "Write data into every pod's volume",
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

export const verify: StepFactory<StorageEvidence> = (s) => ({
  title: 'Verify the data survived',
  run: async () => {
    const r = (s.evidence.persist = await s.call(checkPersistence, { names: s.names, ordinals: [] }));
    return verdictOutcome(r.verdict, 'The claim outlived the pod, and the new pod mounted the same volume.');
  },
});
