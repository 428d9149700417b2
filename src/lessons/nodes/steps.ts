// The nodes lesson in the tour: a drain on the cluster's default storage (pinned to the node on
// kind, k3s and the local cluster), a drain on --storage-class (a volume that can follow), and a
// node failure with its recovery when the user gives the commands that stop and start a node.
import { CliError } from '../../errors.ts';
import setup from '../../commands/setup.ts';
import { passIf } from '../../lab/verdict.ts';
import { tourSettings, verdictOutcome, type StepFactory, type TourScope, type TourStep } from '../../tour/scope.ts';
import teardown from '../cleanup/teardown.ts';
import writeData, { writeHeld } from '../storage/write-data.ts';
import drain, { type DrainData } from './drain.ts';
import nodeFailure, { type NodeFailureData } from './node-failure.ts';
import uncordon from './uncordon.ts';

/** The pod whose node the part drains and fails. */
const TARGET = 1;
/** The lab's own toleration of a failed node: eviction after 10 s instead of the stock 300 s. */
export const TOUR_TOLERATION_SECONDS = 10;
const TOUR_HOLD_MS = 15_000;

export interface NodesEvidence {
  /** The drain on the default class, then the one on --storage-class. */
  drainPinned?: DrainData;
  drainMoving?: DrainData | null;
  nodeFailure?: NodeFailureData | null;
}

/** A fresh lab on a class (undefined: the cluster's default): claims of an earlier part would keep their class. */
const freshLab = (s: TourScope<NodesEvidence>, storageClass: string | undefined): TourStep => ({
  title: `Start a fresh lab on ${storageClass ? `storage class ${storageClass}` : "the cluster's default storage class"}, with a ${TOUR_TOLERATION_SECONDS}s toleration of failed nodes`,
  run: async () => {
    await s.call(teardown, { names: s.names, keepPvcs: false, keepNamespace: true, noScaleDown: false });
    const settings = { ...tourSettings(s), storageClass, tolerationSeconds: TOUR_TOLERATION_SECONDS };
    const r = await s.call(setup, { settings, dryRun: false });
    if (!('pods' in r)) throw new CliError('setup made a dry run');
    s.serverVersion ??= r.serverVersion ?? null;
    s.cluster ??= { context: r.context, server: r.server };
    const w = await s.call(writeData, { names: s.names, ordinals: [], execTimeoutMs: 60_000 });
    return {
      result: passIf(r.pods.every((p) => p.ready) && w.written.every(writeHeld)),
      notes: [
        `${r.pods.map((p) => `${p.pod} on ${p.node ?? '-'}`).join(', ')}; data written to every volume.`,
        `Each pod tolerates a NotReady or unreachable node for ${TOUR_TOLERATION_SECONDS}s (setup --toleration-seconds), instead of the 300s the API server adds.`,
      ],
    };
  },
});

export const pinnedLab: StepFactory<NodesEvidence> = (s) => freshLab(s, undefined);

export const drainPinned: StepFactory<NodesEvidence> = (s) => ({
  title: `Drain the node of pod ${TARGET} (default storage)`,
  run: async () => {
    const r = (s.evidence.drainPinned = await s.call(drain, { names: s.names, ordinal: TARGET, simulate: false }));
    return verdictOutcome(
      r.verdict,
      r.pinned
        ? `The volume is pinned to ${r.node}: the re-created pod cannot run anywhere else, so it stays Pending until uncordon.`
        : `The default class's volumes are not pinned to one node: the pod moved with its claim.`,
    );
  },
});

export const uncordonNode: StepFactory<NodesEvidence> = (s) => ({
  title: "Uncordon: the lab's cordon and budget removed, every pod back",
  run: async () => {
    const r = await s.call(uncordon, { names: s.names });
    return verdictOutcome(r.verdict, `Undone: ${r.undone.join('; ') || 'nothing'}.`);
  },
});

/** Without --storage-class the moving drain is skipped (N/A): the tour cannot guess a class whose volumes follow. */
const withClass = (s: TourScope<NodesEvidence>, title: string, step: (cls: string) => TourStep): TourStep => {
  const cls = s.pod.storageClass;
  if (cls) return step(cls);
  return {
    title,
    run: async () => {
      s.evidence.drainMoving = null;
      return {
        result: 'N/A',
        notes: ['Skipped: give --storage-class with a class whose volumes can follow a pod (network storage).'],
      };
    },
  };
};

export const movingLab: StepFactory<NodesEvidence> = (s) =>
  withClass(s, 'Start a fresh lab on a storage class that can follow a pod', (cls) => freshLab(s, cls));

export const drainMoving: StepFactory<NodesEvidence> = (s) =>
  withClass(s, `Drain the node of pod ${TARGET} (--storage-class)`, (cls) => ({
    title: `Drain the node of pod ${TARGET} (storage class ${cls})`,
    run: async () => {
      const r = (s.evidence.drainMoving = await s.call(drain, { names: s.names, ordinal: TARGET, simulate: false }));
      return verdictOutcome(r.verdict, 'The claim went with the pod: same claim, same volume, same bytes.');
    },
  }));

export const uncordonMoving: StepFactory<NodesEvidence> = (s) => withClass(s, 'Uncordon', () => uncordonNode(s));

export const failNode: StepFactory<NodesEvidence> = (s) => ({
  title: `Fail the node of pod ${TARGET} and recover (${s.nodes.recovery})`,
  run: async () => {
    const { failWith, recoverWith, recovery } = s.nodes;
    if (!failWith || !recoverWith) {
      s.evidence.nodeFailure = null;
      return {
        result: 'N/A',
        notes: ['Skipped: give --fail-with and --recover-with, the commands that stop and start a node of yours.'],
      };
    }
    const answer = await s.call(nodeFailure, {
      names: s.names,
      ordinal: TARGET,
      failWith,
      recoverWith,
      manual: false,
      recovery,
      holdMs: TOUR_HOLD_MS,
    });
    if (answer.simulation !== null) throw new CliError('node-failure ran a simulation');
    const r = (s.evidence.nodeFailure = answer);
    return verdictOutcome(
      r.verdict,
      'Nothing replaced the pod while its node might still run it: the name is the lock.',
      recovery === 'force'
        ? 'Force deletion freed the name without asking the node: the old copy may still run.'
        : recovery === 'out-of-service'
          ? 'The out-of-service taint told Kubernetes the node is really down: pod GC freed the name.'
          : 'The kubelet came back and confirmed the deletion: only then was the pod re-created.',
    );
  },
});
