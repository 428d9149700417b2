// kill-pod N: delete one pod and follow the StatefulSet controller re-creating it, then show
// that its identity held: same name, hostname, claim and volume; a new UID; maybe a new IP.
import type { Argv } from 'yargs';
import { CliError } from '../../errors.ts';
import type { Lab, PodWatch, V1Pod, V1StatefulSet } from '../../k8s/index.ts';
import { phaseChart } from '../../ui/phases.ts';
import { formatDuration } from '../../lab/duration.ts';
import { stallSentence } from '../../lab/diagnosis.ts';
import {
  atMostOne,
  claimOf,
  compareIdentity,
  identityOf,
  identityVerdict,
  revisionRow,
  type Identity,
} from './judge.ts';
import { revisionFor, revisionOf } from '../updates/rollout.ts';
import { startOrdinal } from '../../lab/ordinals.ts';
import { claimName, podName, type LabNames } from '../../lab/names.ts';
import { isGoing, isReady, uidOf, type PodLike } from '../../lab/pods.ts';
import { verdictLines } from '../../lab/verdict.ts';
import { volumeNodes } from '../../lab/volumes.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks } from '../../ui/tasks.ts';
import { defineCommand } from '../../command-support/command.ts';
import { connectToPod, requiredOrdinal } from '../../command-support/target.ts';
import { withPodWatch } from '../../command-support/pod-watch.ts';
import { perform, podWatched, type Action } from '../../command-support/hands-on.ts';
import type { RunContext } from '../../command-support/command.ts';
import { policyOf } from '../../lab/manifests.ts';

interface KillOptions {
  names: LabNames;
  ordinal: number;
  force: boolean;
}

export default defineCommand({
  command: 'kill-pod <ordinal>',
  examples: [
    ['kubectl sts-lab kill-pod 1', 'Delete nginx-sts-1 and prove it comes back with the same name, claim and volume'],
    ['kubectl sts-lab kill-pod 0 --force', 'The same with grace period 0'],
    ['kubectl sts-lab kill-pod 2 -o json', 'The identity before and after, for a script'],
  ],
  settlesFirst: true,
  describe: 'Delete one pod and watch it come back with the same name, hostname, claim and volume',
  builder: (y: Argv) =>
    y.positional('ordinal', { type: 'string', describe: 'Ordinal of the pod (1 for nginx-sts-1)' }).option('force', {
      type: 'boolean',
      default: false,
      describe: 'Delete immediately (grace period 0) instead of gracefully',
    }),
  args: 'ordinals',
  options: (a, g): KillOptions => ({ names: g.names, ordinal: requiredOrdinal(a.ordinal), force: a.force === true }),
  async run(o, ctx) {
    const n = o.names;
    const { lab, sts, name } = await connectToPod(ctx, n, o.ordinal);
    const old = await lab.findPod(name);
    if (!old || !isReady(old))
      throw new CliError(`pod ${name} is not Ready now`, 'wait until it is (kubectl sts-lab status), then kill it');
    const before = await identity(lab, old);
    return withPodWatch(lab, async (watch) => {
      const deletedAt = await recreate(watch, lab, sts, o, before.uid, ctx);
      const fresh = replacementOf(watch.byOrdinal(), o.ordinal, before.uid)!;
      const after = await identity(lab, fresh);
      const rows = [
        ...compareIdentity(before, after),
        revisionRow(revisionOf(old), revisionOf(fresh), revisionFor(revisionPlan(sts), o.ordinal)),
        atMostOne(watch.history, before.uid, after.uid, deletedAt),
      ];
      const v = identityVerdict(name, claimName(n, o.ordinal), rows);
      const timingsMs = milestones(watch, before.uid, after.uid, deletedAt);
      return {
        ok: v.result === 'PASS',
        data: {
          namespace: n.namespace,
          pod: name,
          force: o.force,
          before,
          after,
          comparison: rows,
          timingsMs,
          verdict: v,
        },
        chart: phaseChart(`${name} deleted and re-created`, watch.history, (i) => podName(n, i)),
      };
    });
  },
  present: ({ data: d }) => ({
    sections: [
      {
        headers: ['field', 'before', 'after', 'expected', 'held'],
        // The field's name without what -o wide spells out: where it is read from.
        short: { field: (f) => f.replace(/ \(.*\)$/, '').replace(/^label apps\.kubernetes\.io\/(.+)$/, '$1 label') },
        rows: d.comparison.map((r) => [r.field, r.before, r.after, r.expected, r.ok ? 'yes' : 'NO']),
      },
      {
        headers: ['step', 'after deletion'],
        rows: Object.entries(d.timingsMs).map(([step, ms]) => [step, ms === null ? '-' : formatDuration(ms)]),
      },
    ],
    notes: verdictLines(d.verdict, verdictText),
  }),
  measures: {
    flags: ['max-recovery'],
    measured: (d) => ({ 'max-recovery': { what: `${d.pod} deleted → Ready again`, ms: d.timingsMs.ready } }),
  },
});

/** The pod that took the ordinal's place: same ordinal, another UID. */
const replacementOf = (pods: ReadonlyMap<number, V1Pod>, ordinal: number, oldUid: string): V1Pod | undefined => {
  const p = pods.get(ordinal);
  return p && uidOf(p) !== oldUid ? p : undefined;
};

/** What decides the revision a re-created pod gets. */
const revisionPlan = (sts: V1StatefulSet) => ({
  strategy: sts.spec?.updateStrategy?.type ?? 'RollingUpdate',
  start: startOrdinal(sts),
  partition: sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0,
  currentRevision: sts.status?.currentRevision ?? null,
  updateRevision: sts.status?.updateRevision ?? null,
});

/** Deletes the pod and follows it until its replacement is Ready; returns when the delete was sent. */
async function recreate(
  watch: PodWatch,
  lab: Lab,
  sts: V1StatefulSet,
  o: KillOptions,
  oldUid: string,
  ctx: RunContext,
): Promise<number> {
  const name = podName(o.names, o.ordinal);
  const timeoutMs = ctx.globals.timeoutMs;
  let deletedAt = 0;
  const replacement = (pods: ReadonlyMap<number, V1Pod>) => replacementOf(pods, o.ordinal, oldUid);
  const stallQuery = {
    policy: policyOf(sts.spec),
    start: startOrdinal(sts),
    wanted: [o.ordinal],
    arrived: (_i: number, p: PodLike) => uidOf(p) !== oldUid && isReady(p),
  };
  const waitFor = (done: (pods: ReadonlyMap<number, V1Pod>) => boolean, what: string) =>
    watch.until(
      (pods) => {
        if (done(pods)) return true;
        watch.stalls.check(watch.stalls.stall(stallQuery)); // throws once waiting cannot help
        return false;
      },
      () => {
        const stall = watch.stalls.stall(stallQuery);
        return `${what}${stall ? `: ${stallSentence(stall)}` : ''}`;
      },
      timeoutMs,
    );
  const since = () => formatDuration(Date.now() - deletedAt);
  await runTasks(
    [
      {
        title: `Delete pod ${name} (${o.force ? 'forced, grace period 0' : 'graceful'})`,
        task: async (_c, t) => {
          deletedAt = Date.now();
          if ((await perform(ctx, t, deletion(watch, lab, o, oldUid))) === 'learner')
            deletedAt = seenDeleted(watch, oldUid) ?? Date.now();
        },
      },
      {
        title: `${name}: Terminating → gone`,
        task: async (_c, t) => {
          await watch.until(
            (pods) => uidOf(pods.get(o.ordinal) ?? {}) !== oldUid,
            `the old ${name} to be gone (it is still Terminating)`,
            timeoutMs,
          );
          t.title = `${name}: old pod gone after ${since()}`;
        },
      },
      {
        title: `${name}: re-created by the StatefulSet controller`,
        task: async (_c, t) => {
          await waitFor((pods) => Boolean(replacement(pods)), `the StatefulSet controller to re-create ${name}`);
          t.title = `${name}: re-created after ${since()}`;
        },
      },
      {
        title: `${name}: Ready`,
        task: async (_c, t) => {
          await waitFor((pods) => isReady(replacement(pods) ?? {}), `the new ${name} to be Ready`);
          t.title = `${name}: Ready again after ${since()}`;
        },
      },
    ],
    { progress: ctx.globals.progress },
  );
  return deletedAt;
}

/** The delete, as the lab sends it or as the learner types it. */
function deletion(watch: PodWatch, lab: Lab, o: KillOptions, oldUid: string): Action {
  const name = podName(o.names, o.ordinal);
  const others = new Map([...watch.byOrdinal()].filter(([i]) => i !== o.ordinal).map(([i, p]) => [i, uidOf(p)]));
  return {
    kubectl: `kubectl -n ${o.names.namespace} delete pod ${name}${o.force ? ' --grace-period=0 --force' : ''}`,
    awaiting: `${name} deleted`,
    byLab: () => lab.deletePod(name, o.force),
    watch: podWatched(watch),
    seen: () => isGoing(watch.byOrdinal().get(o.ordinal), oldUid),
    wrong: () => {
      const pods = watch.byOrdinal();
      const hit = [...others].find(([i, uid]) => isGoing(pods.get(i), uid));
      return hit && `${podName(o.names, hit[0])} was deleted, not ${name}`;
    },
  };
}

/** When the watch first saw the old pod Terminating or gone: a learner's delete has no call to time. */
const seenDeleted = (w: PodWatch, oldUid: string): number | undefined =>
  w.history.find((c) => !c.initial && c.uid === oldUid && (c.stage === 'Terminating' || c.type === 'delete'))?.at;

/** Identity from the pod object itself, its claim and what hostname says inside it. */
async function identity(lab: Lab, pod: V1Pod): Promise<Identity> {
  const name = pod.metadata?.name ?? '';
  const claim = claimOf(pod);
  const [found, hostname] = await Promise.all([
    claim ? lab.findClaim(claim) : undefined,
    lab.exec(name, ['hostname'], { timeoutMs: 30_000 }),
  ]);
  if (hostname.code !== 0)
    throw new CliError(`cannot read the hostname inside ${name}: ${hostname.stderr.toString().trim()}`);
  const pv = found?.spec?.volumeName ?? null;
  const nodes = pv ? volumeNodes(await lab.findVolume(pv)) : null;
  return identityOf(pod, hostname.stdout.toString().trim(), pv, nodes);
}

/**
 * When each step of this pod was seen, in ms after the delete call, from the watch's own record (other pods may change
 * meanwhile).
 */
function milestones(w: PodWatch, oldUid: string, newUid: string, t0: number) {
  const h = w.history.filter((c) => !c.initial);
  const first = (p: (c: (typeof h)[number]) => boolean) => {
    const c = h.find(p);
    return c ? c.at - t0 : null;
  };
  return {
    terminating: first((c) => c.uid === oldUid && c.stage === 'Terminating'),
    gone: first((c) => c.uid === oldUid && c.type === 'delete'),
    recreated: first((c) => c.uid === newUid && c.type === 'add'),
    ready: first((c) => c.uid === newUid && c.stage === 'Ready'),
  };
}
