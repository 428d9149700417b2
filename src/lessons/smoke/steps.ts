// The storage smoke part of the tour (--part storage), for platform teams checking a StorageClass:
// a fresh lab on the class, claims bound, bytes that outlive a pod, a pod that moves with its
// volume where the class lets it, scale to 0 and back onto the same volumes, the retention policy
// (proved by the teardown) and a volume expanded as the pod's filesystem reports it.
import { connectLab } from '../../command-support/target.ts';
import { CliError } from '../../errors.ts';
import setup, { claimsHeld, type SetupResult } from '../../commands/setup.ts';
import { formatDuration } from '../../lab/duration.ts';
import { claimName, MOUNT_PATH, podName } from '../../lab/names.ts';
import { minorOf, RETENTION_MINOR } from '../../lab/server-version.ts';
import { combine, passIf, type Result, type Verdict } from '../../lab/verdict.ts';
import { tourSettings, verdictOutcome, type StepFactory, type TourScope } from '../../tour/scope.ts';
import teardown from '../cleanup/teardown.ts';
import drain from '../nodes/drain.ts';
import uncordon from '../nodes/uncordon.ts';
import scale from '../scaling/scale.ts';
import checkPersistence from '../storage/check-persistence.ts';
import writeData, { writeHeld } from '../storage/write-data.ts';
import { bytesOf, dfKilobytes, expansionVerdict, grown, type ExpansionEvidence } from './expansion.ts';

/** The pod the part deletes, moves and expands the claim of. */
const TARGET = 1;

/** A row judged from a step, or not applicable with the reason. */
export interface Judgement {
  result: Result;
  evidence: string;
}

export interface SmokeEvidence {
  smoke?: {
    storageClass: string;
    setup?: SetupResult;
    /** null: the retention policy was set for the teardown to prove; otherwise why it was not. */
    retentionSkipped?: string | null;
    move?: Judgement;
    scaled?: Judgement;
    expansion?: Judgement & { detail?: ExpansionEvidence };
  };
}

const smokeOf = (s: TourScope<SmokeEvidence>) => {
  if (!s.evidence.smoke) throw new CliError('the storage part starts with its own lab');
  return s.evidence.smoke;
};

export const smokeLab: StepFactory<SmokeEvidence> = (s) => ({
  title: `Start a fresh lab on ${s.pod.storageClass ? `storage class ${s.pod.storageClass}` : "the cluster's default storage class"}`,
  run: async () => {
    const lab = await connectLab(s.ctx, s.names);
    await s.call(teardown, { names: s.names, keepPvcs: false, keepNamespace: true, noScaleDown: false });
    const version = await lab.serverVersion();
    const retentionSkipped =
      (minorOf(version) ?? 0) < RETENTION_MINOR
        ? `Kubernetes ${version} has no persistentVolumeClaimRetentionPolicy (1.${RETENTION_MINOR}+)`
        : null;
    const settings = {
      ...tourSettings(s),
      ...(retentionSkipped ? {} : { retention: { whenScaled: 'Retain' as const, whenDeleted: 'Delete' as const } }),
    };
    const r = await s.call(setup, { settings, dryRun: false });
    if (!('pods' in r)) throw new CliError('setup made a dry run');
    s.serverVersion ??= r.serverVersion ?? null;
    s.cluster ??= { context: r.context, server: r.server };
    const facts = await lab.clusterFacts(s.pod.storageClass);
    s.evidence.smoke = {
      storageClass: facts.storageClass?.name ?? s.pod.storageClass ?? 'default',
      setup: r,
      retentionSkipped,
    };
    const w = await s.call(writeData, { names: s.names, ordinals: [], execTimeoutMs: 60_000 });
    const sc = facts.storageClass;
    return {
      result: passIf(claimsHeld(r.pods) && r.pods.length > 0 && w.written.every(writeHeld)),
      notes: [
        `StorageClass ${sc ? `${sc.name} (${sc.provisioner}, ${sc.volumeBindingMode}, expansion ${sc.allowVolumeExpansion ? 'allowed' : 'not allowed'})` : 'unknown'}: ${r.pods.map((p) => `${p.pvc} ${p.pvcStatus ?? '-'} on ${p.node ?? '-'}`).join(', ')}.`,
        `Every pod Ready ${r.readyMs === null ? '' : `${formatDuration(r.readyMs)} `}after the first write; slowest claim bound and attached in ${r.attachMs === null ? '?' : formatDuration(r.attachMs)}; data written to every volume.`,
      ],
    };
  },
});

/** The pod moves to another node with its volume, where there is one and the volume is not pinned. */
export const smokeMove: StepFactory<SmokeEvidence> = (s) => ({
  title: `Move ${podName(s.names, TARGET)} to another node with its volume (a drain)`,
  run: async () => {
    const smoke = smokeOf(s);
    const lab = await connectLab(s.ctx, s.names);
    const nodes = await lab.listNodes();
    const pod = smoke.setup?.pods.find((p) => p.ordinal === TARGET);
    const skip = (why: string) => {
      smoke.move = { result: 'N/A', evidence: why };
      return { result: 'N/A' as const, notes: [`Skipped: ${why}.`] };
    };
    if (!nodes) return skip('these credentials may not list nodes (a drain needs cluster-wide rights)');
    if (nodes.length < 2) return skip('the cluster has one node: there is nowhere to move to');
    if (pod?.volumeNodes === null || pod?.volumeNodes === undefined)
      return skip(`the volume of ${podName(s.names, TARGET)} could not be read`);
    if (pod.volumeNodes.length)
      return skip(
        `the volumes of ${smoke.storageClass} are pinned to their node (${pod.volumeNodes.join(', ')}): the pod cannot move`,
      );
    const r = await s.call(drain, { names: s.names, ordinal: TARGET, simulate: false });
    const back = await s.call(uncordon, { names: s.names });
    const result = combine(r.verdict.result, back.verdict.result);
    smoke.move = { result, evidence: `${r.verdict.headline}; ${back.verdict.headline}` };
    return verdictOutcome(
      { result, headline: r.verdict.headline },
      'The claim went with the pod: same claim, same volume, same bytes.',
    );
  },
});

/** Scale to 0 and back: the same claims bound to the same volumes, with the same bytes. */
export const smokeScaleZero: StepFactory<SmokeEvidence> = (s) => ({
  title: 'Scale to 0 and back: the same volumes come back',
  run: async () => {
    const smoke = smokeOf(s);
    const lab = await connectLab(s.ctx, s.names);
    const volumes = async () =>
      new Map((await lab.listClaims()).map((c) => [c.metadata?.name ?? '', c.spec?.volumeName ?? null]));
    const before = await volumes();
    const replicas = smoke.setup?.pods.length ?? 3;
    const down = await s.call(scale, { names: s.names, replicas: 0 });
    const up = await s.call(scale, { names: s.names, replicas });
    const after = await volumes();
    const persist = await s.call(checkPersistence, { names: s.names, ordinals: [] });
    const changed = [...before].filter(([claim, pv]) => after.get(claim) !== pv).map(([claim]) => claim);
    const result = combine(down.verdict.result, up.verdict.result, passIf(!changed.length), persist.verdict.result);
    smoke.scaled = {
      result,
      evidence: `0 pods then ${replicas}: ${changed.length ? `volume changed for ${changed.join(', ')}` : `${before.size} claims on the same volumes`}; ${persist.verdict.headline}`,
    };
    return {
      result,
      notes: [
        `${result}: ${smoke.scaled.evidence}.`,
        'Scaling to 0 deletes the pods and keeps their claims (whenScaled: Retain): the pods that come back mount the same volumes.',
      ],
    };
  },
});

/** One claim expanded, proved by the size the pod's filesystem reports; N/A where the class does not allow it. */
export const smokeExpand: StepFactory<SmokeEvidence> = (s) => ({
  title: `Expand the volume of ${podName(s.names, TARGET)}`,
  run: async () => {
    const smoke = smokeOf(s);
    const lab = await connectLab(s.ctx, s.names);
    const sc = (await lab.clusterFacts(s.pod.storageClass)).storageClass;
    if (!sc?.allowVolumeExpansion) {
      const why = sc
        ? `StorageClass ${sc.name} does not allow volume expansion (allowVolumeExpansion is not true)`
        : 'the StorageClass could not be read';
      smoke.expansion = { result: 'N/A', evidence: why };
      return { result: 'N/A', notes: [`Skipped: ${why}.`] };
    }
    const pvc = claimName(s.names, TARGET);
    const pod = podName(s.names, TARGET);
    const from = (await lab.findClaim(pvc))?.status?.capacity?.storage ?? s.pod.storageSize;
    const to = grown(from);
    const df = async () => {
      const r = await lab.exec(pod, ['df', '-Pk', MOUNT_PATH], { timeoutMs: 30_000 });
      const kb = r.code === 0 ? dfKilobytes(r.stdout.toString()) : undefined;
      return kb === undefined ? null : kb * 1024;
    };
    const filesystemBefore = await df();
    const t0 = Date.now();
    await lab.resizeClaim(pvc, to);
    const wanted = bytesOf(to) ?? 0;
    const done = await lab.claimResized(
      pvc,
      (c) =>
        (bytesOf(c.status?.capacity?.storage) ?? 0) >= wanted &&
        !c.status?.conditions?.some((x) => x.type === 'FileSystemResizePending' && x.status === 'True'),
      s.ctx.globals.timeoutMs,
    );
    const detail: ExpansionEvidence = {
      pvc,
      from,
      to,
      capacity: done.status?.capacity?.storage ?? null,
      filesystemBefore,
      filesystemAfter: await df(),
      resizedMs: Date.now() - t0,
    };
    const v: Verdict<never> = expansionVerdict(detail);
    smoke.expansion = { result: v.result, evidence: v.headline, detail };
    return verdictOutcome(
      v,
      `The resize took ${formatDuration(detail.resizedMs ?? 0)} from the request to the filesystem.`,
    );
  },
});
