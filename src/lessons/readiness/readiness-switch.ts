// unready N / ready N: flip the lab's readiness switch in one pod (a file outside its data
// volume, through exec) and follow the pod to NotReady or Ready with a watch.
import type { Argv } from 'yargs';
import { CliError } from '../../errors.ts';
import { formatDuration } from '../../lab/duration.ts';
import { podName, type LabNames } from '../../lab/names.ts';
import { labOrdinals, startOrdinal } from '../../lab/ordinals.ts';
import { phaseChart } from '../../ui/phases.ts';
import { isReady } from '../../lab/pods.ts';
import { hasReadinessSwitch, switchState, switchVerdict, UNREADY_FILE, type SwitchState } from '../../lab/readiness.ts';
import { analyseOrdering } from '../ordering/judge.ts';
import { buildTimeline } from '../../lab/timeline.ts';
import { timelineSection } from '../../ui/cells.ts';
import { combine, verdictLines } from '../../lab/verdict.ts';
import { orderingVerdict } from '../ordering/judge.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks } from '../../ui/tasks.ts';
import { defineCommand } from '../../command-support/command.ts';
import { perform, podWatched } from '../../command-support/hands-on.ts';
import { connectToPod, requiredOrdinal } from '../../command-support/target.ts';
import { withPodWatch } from '../../command-support/pod-watch.ts';
import { goneTasks, readyTasks } from '../../command-support/wait-ready.ts';
import { policyOf } from '../../lab/manifests.ts';

interface SwitchOptions {
  names: LabNames;
  ordinal: number;
}

export function readinessSwitch(wantReady: boolean) {
  const want = wantReady ? 'Ready' : 'NotReady';
  return defineCommand({
    command: `${wantReady ? 'ready' : 'unready'} <ordinal>`,
    examples: wantReady
      ? [
          ['kubectl sts-lab ready 1', "Turn nginx-sts-1's readiness back on and follow it to Ready"],
          ['kubectl sts-lab ready 1 -o json', 'The same, for a script'],
        ]
      : [
          ['kubectl sts-lab unready 1', 'Make nginx-sts-1 fail its readiness probe; DNS stops returning it'],
          ['kubectl sts-lab ready 1', 'Afterwards: make it Ready again'],
        ],
    // ready is how a pod held NotReady is freed: nothing to wait for first.
    ...(wantReady ? {} : { settlesFirst: true as const }),
    describe: wantReady
      ? "Turn the lab's readiness switch back on in one pod and follow it to Ready"
      : 'Make one pod fail its readiness probe (its container keeps running) and follow it to NotReady',
    builder: (y: Argv) =>
      y.positional('ordinal', { type: 'string', describe: 'Ordinal of the pod (1 for nginx-sts-1)' }),
    args: 'ordinals',
    options: (a, g): SwitchOptions => ({ names: g.names, ordinal: requiredOrdinal(a.ordinal) }),
    async run(o, ctx) {
      const n = o.names;
      const { lab, sts, name } = await connectToPod(ctx, n, o.ordinal);
      const pod = await lab.findPod(name);
      if (!pod) throw new CliError(`pod ${name} does not exist now`, 'kubectl sts-lab status');
      if (!hasReadinessSwitch(pod.spec)) {
        throw new CliError(
          `pod ${name} has no sts-lab readiness switch: its readiness probe is not the lab's (a lab made by an older sts-lab, or a template changed since)`,
          'run `kubectl sts-lab setup`: it re-configures the StatefulSet and the controller rolls the pods onto the new template (under OnDelete: kill-pod each)',
        );
      }
      const before: SwitchState = switchState(pod);
      const wanted = labOrdinals(sts);
      const sequence = { policy: policyOf(sts.spec), start: startOrdinal(sts) };
      return withPodWatch(lab, async (watch) => {
        let flippedAt = 0;
        let tookMs = null as number | null;
        const wasReady = new Map([...watch.byOrdinal()].map(([i, p]) => [i, isReady(p)]));
        // Pods the controller held back behind this one (a halted scale-up): it goes on by itself.
        let resumed: number[] = [];
        let condemned: number[] = [];
        await runTasks(
          [
            {
              title: `${name}: ${wantReady ? 'remove' : 'create'} ${UNREADY_FILE}`,
              task: async (_c, t) => {
                const script = wantReady ? `rm -f ${UNREADY_FILE}` : `touch ${UNREADY_FILE}`;
                const flip = async () => {
                  const r = await lab.exec(name, ['sh', '-c', script], { timeoutMs: 30_000 });
                  if (r.code !== 0)
                    throw new CliError(`${script} in ${name} exited ${r.code}: ${r.stderr.toString().trim()}`);
                  flippedAt = Date.now();
                };
                await perform(ctx, t, {
                  kubectl: `kubectl -n ${n.namespace} exec ${name} -- ${script}`,
                  // The watch cannot see an exec: it sees what the kubelet's probe makes of it.
                  awaiting: `${name} ${want}`,
                  byLab: flip,
                  watch: podWatched(watch),
                  seen: () => {
                    const p = watch.byOrdinal().get(o.ordinal);
                    return p?.metadata?.uid === before.uid && isReady(p) === wantReady;
                  },
                  wrong: () => {
                    const pods = watch.byOrdinal();
                    if (pods.get(o.ordinal)?.metadata?.uid !== before.uid)
                      return `${name} was re-created: the switch is a file inside the pod, set with kubectl exec`;
                    const other = [...pods].find(([i, p]) => i !== o.ordinal && wasReady.get(i) !== isReady(p));
                    return (
                      other && `${podName(n, other[0])} turned ${isReady(other[1]) ? 'Ready' : 'NotReady'}, not ${name}`
                    );
                  },
                });
              },
            },
            {
              title: `${name}: ${want}`,
              task: async (_c, t) => {
                const same = (p: { metadata?: { uid?: string } } | undefined) => p?.metadata?.uid === before.uid;
                await watch.until(
                  (pods) => !same(pods.get(o.ordinal)) || isReady(pods.get(o.ordinal) ?? {}) === wantReady,
                  `${name} to be ${want} (the kubelet probes every ${pod.spec?.containers?.[0]?.readinessProbe?.periodSeconds ?? 10}s)`,
                  ctx.globals.timeoutMs,
                );
                // A learner's exec is not seen, so it cannot be timed.
                tookMs = flippedAt ? Date.now() - flippedAt : null;
                t.title = tookMs === null ? `${name}: ${want}` : `${name}: ${want} after ${formatDuration(tookMs)}`;
                const now = watch.byOrdinal();
                resumed = wantReady ? wanted.filter((i) => i !== o.ordinal && !isReady(now.get(i) ?? {})) : [];
                condemned = wantReady ? [...now.keys()].filter((i) => !wanted.includes(i)).sort((a, b) => b - a) : [];
              },
            },
            {
              title: 'The controller goes on with the pods it held back',
              enabled: () => resumed.length > 0,
              task: (_c, t) =>
                t.newListr(readyTasks(watch, resumed, { timeoutMs: ctx.globals.timeoutMs, ...sequence }), {
                  concurrent: true,
                }),
            },
            {
              title: 'The controller goes on removing the pods it held back',
              enabled: () => condemned.length > 0,
              task: (_c, t) =>
                t.newListr(goneTasks(watch, condemned, ctx.globals.timeoutMs, sequence), { concurrent: true }),
            },
          ],
          { progress: ctx.globals.progress },
        );
        const now = watch.byOrdinal().get(o.ordinal) ?? (await lab.findPod(name));
        const after = now ? switchState(now) : { uid: '', ready: false, restarts: 0, running: false };
        const switched = switchVerdict(name, wantReady, before, after);
        const held = [...resumed, ...condemned];
        const podNameOf = (i: number) => podName(n, i);
        const order = held.length
          ? orderingVerdict(
              analyseOrdering(watch.history, { ...sequence, podName: podNameOf, terminations: condemned.length > 0 }),
              `The pods held back followed in order: ${held.map(podNameOf).join(', ')}`,
            )
          : undefined;
        const verdict = order
          ? {
              ...switched,
              result: combine(switched.result, order.result),
              why: [...switched.why, `${order.result}  ${order.headline}`],
            }
          : switched;
        return {
          ok: verdict.result !== 'FAIL',
          data: {
            namespace: n.namespace,
            pod: name,
            want,
            switchFile: UNREADY_FILE,
            before,
            after,
            tookMs,
            resumed: resumed.map(podNameOf),
            removed: condemned.map(podNameOf),
            verdict,
          },
          chart: phaseChart(`${name}: the readiness switch ${wantReady ? 'on' : 'off'}`, watch.history, podNameOf),
          timeline: buildTimeline(watch.history, podNameOf).filter((r) => resumed.includes(r.ordinal)),
        };
      });
    },
    present: ({ data: d, timeline = [] }) => ({
      sections: [
        {
          headers: ['pod', 'uid', 'ready before', 'ready now', 'restarts', 'took'],
          rows: [
            [
              d.pod,
              d.after.uid.slice(0, 8),
              String(d.before.ready),
              String(d.after.ready),
              `${d.before.restarts} → ${d.after.restarts}`,
              d.tookMs === null ? '<unknown>' : formatDuration(d.tookMs),
            ],
          ],
        },
        timelineSection(timeline),
      ],
      notes: verdictLines(d.verdict, verdictText),
    }),
  });
}
