// unready N / ready N: flip the lab's readiness switch in one pod (a file outside its data
// volume, through exec) and follow the pod to NotReady or Ready with a watch.
import type { Argv } from 'yargs';
import { CliError, UsageError } from '../errors.ts';
import type { PodWatch } from '../k8s/index.ts';
import { formatDuration } from '../lab/duration.ts';
import { podName, type LabNames } from '../lab/names.ts';
import { isReady } from '../lab/pods.ts';
import { hasReadinessSwitch, switchState, switchVerdict, UNREADY_FILE, type SwitchState } from '../lab/readiness.ts';
import { verdictLines } from '../lab/verdict.ts';
import { verdictText } from '../ui/color.ts';
import { runTasks } from '../ui/tasks.ts';
import { defineCommand } from './command.ts';
import { checkOrdinals, connectLab, ownStatefulSet, parseOrdinals } from './target.ts';

interface SwitchOptions {
  names: LabNames;
  ordinal: number;
}

export function readinessSwitch(wantReady: boolean) {
  const want = wantReady ? 'Ready' : 'NotReady';
  return defineCommand({
    command: `${wantReady ? 'ready' : 'unready'} <ordinal>`,
    describe: wantReady
      ? 'Turn the lab\'s readiness switch back on in one pod and follow it to Ready'
      : 'Make one pod fail its readiness probe (its container keeps running) and follow it to NotReady',
    builder: (y: Argv) => y.positional('ordinal', { type: 'string', describe: 'Ordinal of the pod (1 for nginx-sts-1)' }),
    options(a): SwitchOptions {
      const [ordinal] = parseOrdinals(a.ordinal);
      if (ordinal === undefined) throw new UsageError('an ordinal is required');
      return { names: a.names as LabNames, ordinal };
    },
    async run(o, ctx) {
      const lab = await connectLab(ctx, o.names);
      const n = o.names;
      const sts = await ownStatefulSet(lab);
      checkOrdinals([o.ordinal], sts.spec?.replicas ?? 0, n);
      const name = podName(n, o.ordinal);
      const pod = await lab.findPod(name);
      if (!pod) throw new CliError(`pod ${name} does not exist now`, 'kubectl sts-lab status');
      if (!hasReadinessSwitch(pod.spec)) {
        throw new CliError(`pod ${name} has no sts-lab readiness switch: its readiness probe is not the lab's (a lab made by an older sts-lab, or a template changed since)`, 'run `kubectl sts-lab setup`: it re-configures the StatefulSet and the controller rolls the pods onto the new template (under OnDelete: kill-pod each)');
      }
      const before: SwitchState = switchState(pod);
      let watch: PodWatch | undefined;
      let flippedAt = 0;
      try {
        await runTasks(
          [
            {
              title: `${name}: ${wantReady ? 'remove' : 'create'} ${UNREADY_FILE}`,
              task: async () => {
                watch = await lab.watchPods();
                const script = wantReady ? `rm -f ${UNREADY_FILE}` : `touch ${UNREADY_FILE}`;
                const r = await lab.exec(name, ['sh', '-c', script], { timeoutMs: 30_000 });
                if (r.code !== 0) throw new CliError(`${script} in ${name} exited ${r.code}: ${r.stderr.toString().trim()}`);
                flippedAt = Date.now();
              },
            },
            {
              title: `${name}: ${want}`,
              task: async (_c, t) => {
                const same = (p: { metadata?: { uid?: string } } | undefined) => p?.metadata?.uid === before.uid;
                await watch!.until(
                  (pods) => !same(pods.get(o.ordinal)) || isReady(pods.get(o.ordinal)!) === wantReady,
                  `${name} to be ${want} (the kubelet probes every ${pod.spec?.containers?.[0]?.readinessProbe?.periodSeconds ?? 10}s)`,
                  ctx.globals.timeoutMs,
                );
                t.title = `${name}: ${want} after ${formatDuration(Date.now() - flippedAt)}`;
              },
            },
          ],
          { progress: ctx.globals.progress },
        );
      } finally {
        watch?.stop();
      }
      const now = watch!.byOrdinal().get(o.ordinal) ?? (await lab.findPod(name));
      const after = now ? switchState(now) : { uid: '', ready: false, restarts: 0, running: false };
      const verdict = switchVerdict(name, wantReady, before, after);
      const tookMs = Date.now() - flippedAt;
      return {
        ok: verdict.result !== 'FAIL',
        data: { namespace: n.namespace, pod: name, want, switchFile: UNREADY_FILE, before, after, tookMs, verdict },
        sections: [
          {
            headers: ['pod', 'uid', 'ready before', 'ready now', 'restarts', 'took'],
            rows: [[name, after.uid.slice(0, 8), String(before.ready), String(after.ready), `${before.restarts} → ${after.restarts}`, formatDuration(tookMs)]],
          },
        ],
        notes: verdictLines(verdict, verdictText),
      };
    },
  });
}
