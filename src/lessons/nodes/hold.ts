// node-failure --simulate: the controller's side of a node failure, with namespace rights only.
// A finalizer holds the deleted pod in Terminating, as a kubelet that never confirms would; the
// controller creates nothing until it goes. Its containers do stop (their kubelet is alive): that
// is the part a simulation cannot show.
import { InterruptedError } from '../../errors.ts';
import type { Lab, PodWatch, V1Pod } from '../../k8s/index.ts';
import { formatDuration } from '../../lab/duration.ts';
import { HOLD_FINALIZER, podName } from '../../lab/names.ts';
import { HOLD_PERMISSIONS } from '../../lab/permissions.ts';
import { isReady, uidOf } from '../../lab/pods.ts';
import type { Verdict } from '../../lab/verdict.ts';
import type { RunContext } from '../../command-support/command.ts';
import { runTasks } from '../../ui/tasks.ts';
import checkPersistence from '../storage/check-persistence.ts';
import { followReplacement, podNow, requireRights, watchHold, type Hold } from './follow.ts';
import { check, judged, type Check } from './judge.ts';
import type { NodeFailureOptions } from './node-failure.ts';

export interface HoldData {
  namespace: string;
  simulation: 'finalizer hold';
  pod: string;
  node: string | null;
  hold: Hold;
  replacement: {
    uid: string;
    node: string | null;
    ready: boolean;
    createdAfterOldGone: boolean;
    readyAfterReleaseMs: number | null;
  };
  persistence: Verdict<never> | null;
  verdict: Verdict<Check>;
}

export async function simulateHold(
  lab: Lab,
  watch: PodWatch,
  ctx: RunContext,
  o: NodeFailureOptions,
  pod: V1Pod,
): Promise<HoldData> {
  const n = o.names;
  const name = podName(n, o.ordinal);
  const oldUid = uidOf(pod);
  await requireRights(lab, HOLD_PERMISSIONS, `hold ${name} with a finalizer`, 'ask for the edit role');
  let hold: Hold = { ms: o.holdMs, secondPod: null, oldStillThere: false };
  let releasedAt = 0;
  let fresh: V1Pod | undefined;
  try {
    await runTasks(
      [
        {
          title: `Hold ${name} with the finalizer ${HOLD_FINALIZER}, then delete it`,
          task: async () => {
            await lab.holdPod(pod);
            await lab.deletePod(name, false);
            await watch.until(
              (pods) => Boolean(pods.get(o.ordinal)?.metadata?.deletionTimestamp),
              `${name} to be Terminating`,
              ctx.globals.timeoutMs,
            );
          },
        },
        {
          title: `At most one ${name}: watch for ${formatDuration(o.holdMs)} while the old object stays`,
          task: async (_c, t) => {
            hold = await watchHold(watch, o.ordinal, oldUid, o.holdMs);
            t.title = `${name}: ${podNow(watch, n, o.ordinal)}; nothing re-created: ${!hold.secondPod}`;
          },
        },
        {
          title: `Release the finalizer: ${name} goes, and only then comes back`,
          task: async (_c, t) => {
            const current = watch.byOrdinal().get(o.ordinal);
            releasedAt = Date.now();
            if (current && uidOf(current) === oldUid) await lab.releasePod(current);
            fresh = await followReplacement(watch, n, o.ordinal, oldUid, ctx.globals.timeoutMs);
            t.title = `${name}: ${podNow(watch, n, o.ordinal)} after ${formatDuration(Date.now() - releasedAt)}`;
          },
        },
      ],
      { progress: ctx.globals.progress },
    );
  } catch (err) {
    await lab.undoDisruptions(err instanceof InterruptedError).catch(() => undefined);
    throw err;
  }
  const goneAt = watch.history.findIndex((c) => c.uid === oldUid && c.type === 'delete');
  const addedAt = watch.history.findIndex((c) => c.uid === uidOf(fresh ?? {}));
  const readyAt = watch.history.find((c) => c.uid === uidOf(fresh ?? {}) && c.stage === 'Ready')?.at;
  const replacement = {
    uid: uidOf(fresh ?? {}),
    node: fresh?.spec?.nodeName ?? null,
    ready: isReady(fresh ?? {}),
    createdAfterOldGone: goneAt >= 0 && addedAt > goneAt,
    readyAfterReleaseMs: readyAt ? readyAt - releasedAt : null,
  };
  const persistence = (await lab.readJournal()).some((e) => e.ordinal === o.ordinal)
    ? (await checkPersistence.run({ names: n, ordinals: [o.ordinal] }, ctx)).data.verdict
    : null;
  const checks = [
    check(
      'at most one pod per identity',
      `no second ${name} while the old object exists`,
      hold.secondPod
        ? `a second pod appeared (uid ${hold.secondPod.slice(0, 8)})`
        : 'old object kept, nothing re-created',
      !hold.secondPod && hold.oldStillThere,
    ),
    check(
      're-created after it went',
      'the new pod created only after the old object was deleted',
      replacement.createdAfterOldGone ? 'yes' : 'NO',
      replacement.createdAfterOldGone && replacement.ready,
    ),
    ...(persistence
      ? [check('data holds', 'what write-data wrote', persistence.headline, persistence.result === 'PASS')]
      : []),
  ];
  return {
    namespace: n.namespace,
    simulation: 'finalizer hold',
    pod: name,
    node: pod.spec?.nodeName ?? null,
    hold,
    replacement,
    persistence,
    verdict: judged(
      {
        pass: `Simulation: while ${name} was held in Terminating, nothing took its name`,
        fail: `Simulation: the identity of ${name} was not held`,
      },
      [
        'A simulation: a finalizer held the deleted pod as a kubelet that never confirms would; its containers did stop.',
        'The StatefulSet controller re-creates a name only once the old object is gone from the API.',
      ],
      checks,
    ),
  };
}
