// kill-pod N: delete one pod and follow the StatefulSet controller re-creating it, then show
// that its identity held: same name, hostname, claim and volume; a new UID; maybe a new IP.
import type { Argv } from 'yargs';
import { CliError } from '../../errors.ts';
import type { LabSession, PodWatch, V1Pod } from '../../k8s/index.ts';
import { phaseChart } from '../../ui/phases.ts';
import { formatDuration } from '../../lab/duration.ts';
import { stallSentence } from '../../lab/diagnosis.ts';
import { atMostOne, claimOf, compareIdentity, identityOf, revisionRow, type Identity } from './judge.ts';
import { revisionFor, revisionOf } from '../updates/rollout.ts';
import { startOrdinal } from '../../lab/ordinals.ts';
import { claimName, podName, type LabNames } from '../../lab/names.ts';
import { isReady, uidOf, type PodLike } from '../../lab/pods.ts';
import { passIf, verdict, verdictLines } from '../../lab/verdict.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks } from '../../ui/tasks.ts';
import { defineCommand } from '../../command-support/command.ts';
import { connectToPod, requiredOrdinal } from '../../command-support/target.ts';
import { policyOf } from '../../lab/manifests.ts';

interface KillOptions {
  names: LabNames;
  ordinal: number;
  force: boolean;
}

export default defineCommand({
  command: 'kill-pod <ordinal>',
  describe: 'Delete one pod and watch it come back with the same name, hostname, claim and volume',
  builder: (y: Argv) =>
    y
      .positional('ordinal', { type: 'string', describe: 'Ordinal of the pod (1 for nginx-sts-1)' })
      .option('force', { type: 'boolean', default: false, describe: 'Delete immediately (grace period 0) instead of gracefully' }),
  options(a): KillOptions {
    return { names: a.names as LabNames, ordinal: requiredOrdinal(a.ordinal), force: a.force === true };
  },
  async run(o, ctx) {
    const n = o.names;
    const { lab, sts, name } = await connectToPod(ctx, n, o.ordinal);
    const timeoutMs = ctx.globals.timeoutMs;
    const old = await lab.findPod(name);
    if (!old || !isReady(old)) throw new CliError(`pod ${name} is not Ready now`, 'wait until it is (kubectl sts-lab status), then kill it');
    const policy = policyOf(sts.spec);
    const before = await identity(lab, old);
    let watch: PodWatch | undefined;
    let deletedAt = 0;
    const isReplacement = (pod: PodLike) => uidOf(pod) !== before.uid;
    const replacement = (pods: ReadonlyMap<number, V1Pod>) => {
      const p = pods.get(o.ordinal);
      return p && isReplacement(p) ? p : undefined;
    };
    const stallQuery = { policy, start: startOrdinal(sts), wanted: [o.ordinal], arrived: (_i: number, p: PodLike) => isReplacement(p) && isReady(p) };
    const waitFor = (done: (pods: ReadonlyMap<number, V1Pod>) => boolean, what: string) =>
      watch!.until(
        (pods) => {
          if (done(pods)) return true;
          watch!.stalls.check(watch!.stalls.stall(stallQuery)); // throws once waiting cannot help
          return false;
        },
        () => {
          const stall = watch!.stalls.stall(stallQuery);
          return `${what}${stall ? `: ${stallSentence(stall)}` : ''}`;
        },
        timeoutMs,
      );
    try {
      await runTasks(
        [
          {
            title: `Delete pod ${name} (${o.force ? 'forced, grace period 0' : 'graceful'})`,
            task: async () => {
              watch = await lab.watchPods();
              deletedAt = Date.now();
              await lab.deletePod(name, o.force);
            },
          },
          {
            title: `${name}: Terminating → gone`,
            task: async (_c, t) => {
              await watch!.until((pods) => uidOf(pods.get(o.ordinal) ?? {}) !== before.uid, `the old ${name} to be gone (it is still Terminating)`, timeoutMs);
              t.title = `${name}: old pod gone after ${formatDuration(Date.now() - deletedAt)}`;
            },
          },
          {
            title: `${name}: re-created by the StatefulSet controller`,
            task: async (_c, t) => {
              await waitFor((pods) => Boolean(replacement(pods)), `the StatefulSet controller to re-create ${name}`);
              t.title = `${name}: re-created after ${formatDuration(Date.now() - deletedAt)}`;
            },
          },
          {
            title: `${name}: Ready`,
            task: async (_c, t) => {
              await waitFor((pods) => Boolean(replacement(pods) && isReady(replacement(pods)!)), `the new ${name} to be Ready`);
              t.title = `${name}: Ready again after ${formatDuration(Date.now() - deletedAt)}`;
            },
          },
        ],
        { progress: ctx.globals.progress },
      );
    } finally {
      watch?.stop();
    }
    const fresh = replacement(watch!.byOrdinal())!;
    const after = await identity(lab, fresh);
    const plan = {
      strategy: sts.spec?.updateStrategy?.type ?? 'RollingUpdate',
      start: startOrdinal(sts),
      partition: sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0,
      currentRevision: sts.status?.currentRevision ?? null,
      updateRevision: sts.status?.updateRevision ?? null,
    };
    const rows = [
      ...compareIdentity(before, after),
      revisionRow(revisionOf(old), revisionOf(fresh), revisionFor(plan, o.ordinal)),
      atMostOne(watch!.history, before.uid, after.uid, deletedAt),
    ];
    const ok = rows.every((r) => r.ok);
    const timings = milestones(watch!, before.uid, after.uid, deletedAt);
    const headline = ok ? `Stable identity held: ${name} came back as itself` : `Stable identity broken for ${name}`;
    const why = [
      'The StatefulSet controller re-creates a missing ordinal under the same name, with hostname = pod name and',
      `the same claim ${claimName(n, o.ordinal)}, so it re-attaches the same volume; only the UID (and perhaps the IP) is new,`,
      'and it creates the new pod only after the old one is gone: never two pods with one identity. It gets the revision',
      'its ordinal is due: below a RollingUpdate partition the current (old) one, otherwise the update revision.',
      ...rows.filter((r) => !r.ok).map((r) => `${r.field}: expected ${r.expected}, was ${r.before} → ${r.after}`),
    ];
    const v = verdict(passIf(ok), headline, why);
    return {
      ok,
      data: { namespace: n.namespace, pod: name, force: o.force, before, after, comparison: rows, timingsMs: timings, verdict: v },
      chart: phaseChart(`${name} deleted and re-created`, watch!.history, (i) => podName(n, i)),
      sections: [
        { headers: ['field', 'before', 'after', 'expected', 'held'], rows: rows.map((r) => [r.field, r.before, r.after, r.expected, r.ok ? 'yes' : 'NO']) },
        {
          headers: ['step', 'after deletion'],
          rows: Object.entries(timings).map(([step, ms]) => [step, ms === null ? '-' : formatDuration(ms)]),
        },
      ],
      notes: verdictLines(v, verdictText),
    };
  },
});

/** Identity from the pod object itself, its claim and what hostname says inside it. */
async function identity(lab: LabSession, pod: V1Pod): Promise<Identity> {
  const name = pod.metadata?.name ?? '';
  const claim = claimOf(pod);
  const [found, hostname] = await Promise.all([
    claim ? lab.findClaim(claim) : undefined,
    lab.exec(name, ['hostname'], { timeoutMs: 30_000 }),
  ]);
  if (hostname.code !== 0) throw new CliError(`cannot read the hostname inside ${name}: ${hostname.stderr.toString().trim()}`);
  return identityOf(pod, hostname.stdout.toString().trim(), found?.spec?.volumeName ?? null);
}

/** When each step of this pod was seen, in ms after the delete call, from the watch's own record (other pods may change meanwhile). */
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
