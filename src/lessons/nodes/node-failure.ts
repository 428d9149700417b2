// node-failure N: the node of pod N stops answering (the user's own command, or by hand: sts-lab
// never stops a node), and the lab proves what follows from the API: the node goes Unknown and
// is tainted, the pod goes NotReady and leaves DNS, taint-based eviction waits for the toleration,
// the identity stays held, the chosen recovery frees it, and the replacement runs where its volume
// allows. Then the node comes back and the lab checks nothing of the failure or of itself is left.
import type { Argv } from 'yargs';
import { CliError, InterruptedError, UsageError } from '../../errors.ts';
import type { Lab, LiveList, PodWatch, V1Node, V1Pod } from '../../k8s/index.ts';
import { formatDuration, parseDuration } from '../../lab/duration.ts';
import { OUT_OF_SERVICE_TAINT, podDnsName, podName, UNREACHABLE_TAINT, type LabNames } from '../../lab/names.ts';
import { NODE_READ_PERMISSIONS, NODE_WRITE_PERMISSIONS } from '../../lab/permissions.ts';
import { condition, isReady, uidOf } from '../../lab/pods.ts';
import { verdictLines, type Verdict } from '../../lab/verdict.ts';
import { defineCommand, type Outcome, type RunContext } from '../../command-support/command.ts';
import { pause } from '../../command-support/pause.ts';
import { withPodWatch } from '../../command-support/pod-watch.ts';
import { connectToPod, requiredOrdinal } from '../../command-support/target.ts';
import { runUserCommand, withNode } from '../../command-support/user-command.ts';
import { verdictText } from '../../ui/color.ts';
import { phaseChart } from '../../ui/phases.ts';
import { runTasks, type Task } from '../../ui/tasks.ts';
import { parseLookup } from '../dns/judge.ts';
import checkPersistence from '../storage/check-persistence.ts';
import { simulateHold, type HoldData } from './hold.ts';
import { failureVerdict, type FailureFacts, type Recovery } from './failure-judge.ts';
import { followReplacement, goneFrom, podNow, requireRights, volumeOf, volumeText, watchHold } from './follow.ts';
import { canRun, hasTaint, nodeReady, pinnedTo, schedulingProblem, taintAdded, type Check } from './judge.ts';

export interface NodeFailureOptions {
  names: LabNames;
  ordinal: number;
  failWith: string | undefined;
  recoverWith: string | undefined;
  manual: boolean;
  recovery: Recovery;
  holdMs: number;
  /** Namespace rights only: a finalizer holds the deleted pod; no node is touched. */
  simulate?: boolean;
}

export type NodeFailureData = FailureFacts & { namespace: string; simulation: null; verdict: Verdict<Check> };

/** The user's commands are bounded too: a VM or container stop takes seconds, not minutes. */
const COMMAND_TIMEOUT_MS = 180_000;
/** After NotReady, the endpoint and DNS records follow within seconds. */
const RECORDS_SETTLE_MS = 20_000;

export default defineCommand({
  command: 'node-failure <ordinal>',
  examples: [
    [
      "kubectl sts-lab node-failure 1 --fail-with 'docker stop {node}' --recover-with 'docker start {node}'",
      'On kind: stop the node of nginx-sts-1, then start it again',
    ],
    [
      'kubectl sts-lab node-failure 1 --manual --recovery out-of-service',
      'Stop the node yourself when told; free the pod with the out-of-service taint',
    ],
    [
      'kubectl sts-lab node-failure 1 --simulate',
      'With namespace rights only: a finalizer holds the deleted pod instead',
    ],
  ],
  settlesFirst: true,
  describe: 'The node of pod N stops answering (your command): prove at most one pod per identity, and the recovery',
  builder: (y: Argv) =>
    y
      .positional('ordinal', { type: 'string', describe: 'Ordinal of the pod whose node fails' })
      .option('fail-with', {
        type: 'string',
        describe: "Command that stops the node ({node} is replaced), e.g. 'docker stop {node}' on kind",
      })
      .option('recover-with', { type: 'string', describe: "Command that starts it again, e.g. 'docker start {node}'" })
      .option('manual', {
        type: 'boolean',
        default: false,
        describe: 'Stop and start the node yourself when told; sts-lab waits and watches',
      })
      .option('recovery', {
        type: 'string',
        choices: ['wait', 'force', 'out-of-service'],
        default: 'wait',
        describe:
          'wait: for the node to come back; force: delete the pod with grace 0 (risks two copies); out-of-service: taint the node (non-graceful shutdown)',
      })
      .option('hold', { type: 'string', default: '20s', describe: 'How long to watch the identity being held' })
      .option('simulate', {
        type: 'boolean',
        default: false,
        describe:
          'Namespace rights only: hold the deleted pod with a finalizer instead of failing a node (a simulation)',
      }),
  args: 'ordinals',
  options: (a, g): NodeFailureOptions => {
    const o = {
      names: g.names,
      ordinal: requiredOrdinal(a.ordinal),
      failWith: a['fail-with'] === undefined ? undefined : String(a['fail-with']),
      recoverWith: a['recover-with'] === undefined ? undefined : String(a['recover-with']),
      manual: a.manual === true,
      recovery: String(a.recovery) as Recovery,
      holdMs: 0,
      simulate: a.simulate === true,
    };
    try {
      o.holdMs = parseDuration(String(a.hold));
    } catch (err) {
      throw new UsageError((err as Error).message.replace('duration', '--hold'));
    }
    if (!o.simulate && !o.manual && (!o.failWith || !o.recoverWith))
      throw new UsageError(
        'node-failure needs --fail-with and --recover-with (your commands: sts-lab never stops a node itself), or --manual',
      );
    return o;
  },
  async run(o, ctx): Promise<Outcome<NodeFailureData | HoldData>> {
    const n = o.names;
    const { lab, name } = await connectToPod(ctx, n, o.ordinal);
    if (o.simulate) {
      const held = await lab.findPod(name);
      if (!held || !isReady(held))
        throw new CliError(`pod ${name} is not Ready now`, 'wait until it is (kubectl sts-lab status)');
      return withPodWatch(lab, async (watch) => {
        const data = await simulateHold(lab, watch, ctx, o, held);
        return {
          ok: data.verdict.result !== 'FAIL',
          data,
          chart: phaseChart(`${name}: held, then released`, watch.history, (i) => podName(n, i)),
        };
      });
    }
    await requireRights(
      lab,
      [...NODE_READ_PERMISSIONS, ...(o.recovery === 'out-of-service' ? NODE_WRITE_PERMISSIONS : [])],
      o.recovery === 'out-of-service' ? 'watch nodes and taint one out-of-service' : 'watch nodes',
      `run \`kubectl sts-lab node-failure ${o.ordinal} --simulate\`: a deleted pod held by a finalizer, with no node touched`,
    );
    const pod = await lab.findPod(name);
    const node = pod?.spec?.nodeName;
    if (!pod || !isReady(pod) || !node)
      throw new CliError(`pod ${name} is not Ready now`, 'wait until it is (kubectl sts-lab status)');
    const nodes = (await lab.listNodes()) ?? [];
    if (!nodes.some((x) => x.metadata?.name !== node && canRun(x)))
      throw new CliError(
        `node "${node}" is the only Ready node: with every node down the node lifecycle controller evicts nothing`,
        'node-failure needs a cluster with a second Ready node',
      );
    const facts = await withPodWatch(lab, async (watch) => {
      const live = await lab.watchNodes();
      try {
        return await failAndRecover(lab, watch, live, ctx, o, pod, node);
      } finally {
        live.stop();
      }
    });
    const data: NodeFailureData = {
      namespace: n.namespace,
      simulation: null,
      ...facts.facts,
      verdict: failureVerdict(facts.facts),
    };
    return {
      ok: data.verdict.result !== 'FAIL',
      data,
      chart: phaseChart(`${name}: node ${node} failed`, facts.history, (i) => podName(n, i)),
    };
  },
  present: ({ data: d }) => ({
    sections: [
      {
        headers: ['check', 'expected', 'observed', 'result'],
        rows: d.verdict.checks.map((c) => [c.check, c.expected, c.observed, c.result]),
      },
    ],
    notes: [
      ...(d.simulation
        ? []
        : [
            `volume of ${d.pod}: ${volumeText(d.volume)}; toleration of an unreachable node: ${d.tolerationSeconds ?? 'none'}s`,
          ]),
      ...verdictLines(d.verdict, verdictText),
    ],
  }),
  measures: {
    flags: ['max-recovery'],
    // A simulation fails no node: there is no failover to time.
    measured: (d) =>
      d.simulation ? {} : { 'max-recovery': { what: `${d.pod} failover`, ms: d.replacement.failoverMs } },
  },
});

/** The pods' NoExecute toleration of an unreachable node (the smallest, as the eviction controller takes it). */
const tolerationOf = (pod: V1Pod): number | null =>
  Math.min(
    ...(pod.spec?.tolerations ?? [])
      .filter((t) => (t.key === UNREACHABLE_TAINT || t.operator === 'Exists') && t.effect === 'NoExecute')
      .map((t) => t.tolerationSeconds ?? Infinity),
  ) || null;

const taintsOf = (node: V1Node | undefined) => (node?.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);

async function failAndRecover(
  lab: Lab,
  watch: PodWatch,
  live: LiveList<V1Node>,
  ctx: RunContext,
  o: NodeFailureOptions,
  pod: V1Pod,
  node: string,
): Promise<{ facts: FailureFacts; history: PodWatch['history'] }> {
  const n = o.names;
  const name = podName(n, o.ordinal);
  const oldUid = uidOf(pod);
  const oldIp = pod.status?.podIP ?? '';
  const timeoutMs = ctx.globals.timeoutMs;
  const S = tolerationOf(pod);
  const volume = await volumeOf(lab, n, o.ordinal);
  const theNode = () => live.current().find((x) => x.metadata?.name === node);
  const witness = () =>
    [...watch.byOrdinal().values()].find((p) => p.spec?.nodeName !== node && isReady(p))?.metadata?.name;
  const f: FailureFacts = {
    pod: name,
    node,
    recovery: o.recovery,
    tolerationSeconds: S,
    volume,
    pinned: volume.nodes === null ? null : pinnedTo(volume.nodes, node),
    failedAt: '',
    detected: { ready: 'True', afterMs: null, taints: [] },
    notReady: { afterMs: null, endpointReady: null, dns: 'not asked' },
    eviction: { afterTaintMs: null, reason: null },
    hold: { ms: o.holdMs, secondPod: null, oldStillThere: false },
    recovered: { how: o.recovery, oldGoneAfterMs: null },
    replacement: {
      uid: '',
      node: null,
      stage: 'Absent',
      scheduling: null,
      createdAfterOldGone: false,
      pv: null,
      failoverMs: null,
    },
    secondCopy: null,
    back: { ready: false, unreachableTaintsGone: false, labTaintGone: false, oldIpSilent: null, podReady: false },
    persistence: null,
  };
  let failedAt = 0;
  let nodeBack = false;
  const since = (t: number) => formatDuration(Date.now() - t);
  const userStep = (what: 'fail' | 'recover', t: { output: string }) =>
    o.manual
      ? Promise.resolve()
      : runUserCommand(withNode((what === 'fail' ? o.failWith : o.recoverWith) ?? '', node), {
          timeoutMs: COMMAND_TIMEOUT_MS,
          interrupt: ctx.interrupt,
          onLine: (l) => (t.output = l),
        });
  const recoverNode = async (t: { output: string; title: string }) => {
    if (nodeBack) return;
    if (o.manual) process.stderr.write(`>>> start node ${node} again now; sts-lab waits for it to be Ready\n`);
    await userStep('recover', t);
    await live.until(
      () => nodeReady(theNode()) === 'True',
      () => `node ${node} to be Ready again (it is ${nodeReady(theNode()) ?? 'unknown'})`,
      timeoutMs,
    );
    nodeBack = true;
  };

  const tasks: Task[] = [
    {
      title: o.manual
        ? `Stop node ${node} now (sts-lab waits)`
        : `Fail node ${node}: ${withNode(o.failWith ?? '', node)}`,
      task: async (_c, t) => {
        if (o.manual) process.stderr.write(`>>> stop node ${node} now; sts-lab waits for it to stop answering\n`);
        failedAt = Date.now();
        f.failedAt = new Date(failedAt).toISOString();
        await userStep('fail', t);
      },
    },
    {
      title: `node/${node}: Ready → Unknown, tainted unreachable (the lifecycle controller's grace period)`,
      task: async (_c, t) => {
        await live.until(
          () => nodeReady(theNode()) !== 'True' && taintsOf(theNode()).some((x) => x.endsWith(':NoExecute')),
          () =>
            `node ${node} to stop being Ready (Ready ${nodeReady(theNode())} after ${since(failedAt)}; kube-controller-manager waits its --node-monitor-grace-period, 50s by default)`,
          timeoutMs,
        );
        f.detected = { ready: nodeReady(theNode()), afterMs: Date.now() - failedAt, taints: taintsOf(theNode()) };
        t.title = `node/${node}: Ready ${f.detected.ready} after ${since(failedAt)}; ${f.detected.taints.join(', ')}`;
      },
    },
    {
      title: `${name}: NotReady, out of the endpoints and DNS`,
      task: async (_c, t) => {
        await watch.until(
          (pods) => condition(pods.get(o.ordinal) ?? {}, 'Ready')?.status !== 'True',
          `${name} to be marked NotReady (${podNow(watch, n, o.ordinal)})`,
          timeoutMs,
        );
        f.notReady.afterMs = Date.now() - failedAt;
        Object.assign(f.notReady, await recordsGone(lab, n, o.ordinal, witness(), ctx.interrupt));
        t.title = `${name}: NotReady after ${since(failedAt)}; endpoint ready ${f.notReady.endpointReady}; DNS ${f.notReady.dns}`;
      },
    },
    {
      title: `${name}: evicted once its toleration (${S ?? '?'}s) runs out`,
      task: async (_c, t) => {
        const tainted =
          taintAdded(theNode(), UNREACHABLE_TAINT) ?? taintAdded(theNode(), 'node.kubernetes.io/not-ready');
        await watch.until(
          (pods) =>
            uidOf(pods.get(o.ordinal) ?? {}) !== oldUid || Boolean(pods.get(o.ordinal)?.metadata?.deletionTimestamp),
          () =>
            `the taint eviction controller to delete ${name} ${S ?? '?'}s after the taint (${podNow(watch, n, o.ordinal)})`,
          Math.max(timeoutMs, ((S ?? 300) + 60) * 1000),
        );
        const seen = watch.history.find((c) => c.uid === oldUid && c.stage === 'Terminating')?.at ?? Date.now();
        f.eviction = {
          afterTaintMs: tainted ? seen - tainted.getTime() : null,
          reason: conditionReason(watch.byOrdinal().get(o.ordinal), 'DisruptionTarget'),
        };
        t.title = `${name}: Terminating ${formatDuration(f.eviction.afterTaintMs ?? 0)} after the taint (${f.eviction.reason ?? 'no DisruptionTarget'})`;
      },
    },
    {
      title: `At most one ${name}: watch for ${formatDuration(o.holdMs)} while the old object stays`,
      task: async (_c, t) => {
        f.hold = await watchHold(watch, o.ordinal, oldUid, o.holdMs);
        t.title = f.hold.secondPod
          ? `${name}: a second pod (uid ${f.hold.secondPod}) appeared while the old one existed`
          : `${name}: held for ${formatDuration(o.holdMs)}: Terminating, nothing re-created`;
      },
    },
    {
      title: `Recovery: ${o.recovery}`,
      task: async (_c, t) => {
        const t0 = Date.now();
        if (o.recovery === 'wait') await recoverNode(t);
        if (o.recovery === 'force') await lab.deletePod(name, true);
        if (o.recovery === 'out-of-service') await lab.taintOutOfService(node);
        await watch.until(
          () => goneFrom(watch, oldUid),
          () =>
            `the old ${name} to be removed (${o.recovery === 'out-of-service' ? 'pod GC runs every 20s' : 'the kubelet confirms'})`,
          timeoutMs,
        );
        f.recovered.oldGoneAfterMs = Date.now() - t0;
        t.title = `Recovery ${o.recovery}: the old ${name} gone after ${formatDuration(f.recovered.oldGoneAfterMs)}`;
      },
    },
    {
      title: `${name}: re-created, Ready elsewhere or held by its volume`,
      task: async (_c, t) => {
        const fresh = await followReplacement(watch, n, o.ordinal, oldUid, timeoutMs);
        const goneAt = watch.history.findIndex((c) => c.uid === oldUid && c.type === 'delete');
        const addedAt = watch.history.findIndex((c) => c.uid === uidOf(fresh));
        const readyAt = watch.history.find((c) => c.uid === uidOf(fresh) && c.stage === 'Ready')?.at;
        f.replacement = {
          uid: uidOf(fresh),
          node: fresh.spec?.nodeName ?? null,
          stage: isReady(fresh) ? 'Ready' : 'Pending',
          scheduling: schedulingProblem(fresh),
          createdAfterOldGone: goneAt >= 0 && addedAt > goneAt,
          pv: (await volumeOf(lab, n, o.ordinal)).pv,
          failoverMs: readyAt ? readyAt - failedAt : null,
        };
        t.title = `${name}: ${podNow(watch, n, o.ordinal)}`;
      },
    },
    {
      title: `Does the old ${name} still answer on ${oldIp}?`,
      skip: () => o.recovery !== 'force' && 'only after --recovery force',
      task: async (_c, t) => {
        const a = await askOldIp(lab, witness(), oldIp);
        f.secondCopy = {
          oldIp,
          answered: a.answered,
          detail: a.answered
            ? 'answered'
            : `no answer from here (${a.detail}): the API cannot tell whether it still runs`,
        };
        t.title = a.answered ? `${oldIp} still answers: two copies of ${name}` : `${oldIp}: ${f.secondCopy.detail}`;
      },
    },
    {
      title: `node/${node}: back, the lab's taint removed, ${name} Ready`,
      task: async (_c, t) => {
        await recoverNode(t);
        await live.until(
          () => !hasTaint(theNode(), UNREACHABLE_TAINT),
          'the node lifecycle controller to remove the unreachable taints',
          60_000,
        );
        await lab.removeOutOfService(node);
        await watch.until(
          (pods) => isReady(pods.get(o.ordinal) ?? {}),
          () => `${name} to be Ready again (${podNow(watch, n, o.ordinal)})`,
          timeoutMs,
        );
        await live.until(
          () => !hasTaint(theNode(), OUT_OF_SERVICE_TAINT.key),
          'the out-of-service taint to be gone',
          30_000,
        );
        f.back = {
          ready: nodeReady(theNode()) === 'True',
          unreachableTaintsGone: !hasTaint(theNode(), UNREACHABLE_TAINT),
          labTaintGone: !hasTaint(theNode(), OUT_OF_SERVICE_TAINT.key),
          oldIpSilent: o.recovery === 'force' ? await oldIpSilent(lab, witness(), oldIp, ctx.interrupt) : null,
          podReady: isReady(watch.byOrdinal().get(o.ordinal) ?? {}),
        };
        t.title = `node/${node} Ready; ${name} Ready on ${watch.byOrdinal().get(o.ordinal)?.spec?.nodeName}`;
      },
    },
  ];
  try {
    await runTasks(tasks, { progress: ctx.globals.progress });
  } catch (err) {
    // The node must not stay down, nor the lab's taint stay on it: recover, then rethrow.
    const interrupted = err instanceof InterruptedError;
    await lab.undoDisruptions(interrupted).catch(() => undefined);
    if (!interrupted && failedAt && !nodeBack && !o.manual)
      await runUserCommand(withNode(o.recoverWith ?? '', node), {
        timeoutMs: COMMAND_TIMEOUT_MS,
        interrupt: ctx.interrupt,
      }).catch(() => undefined);
    throw err instanceof CliError && failedAt && !nodeBack
      ? new CliError(err.message, `node ${node} was failed by this run: check it is back (kubectl get node ${node})`)
      : err;
  }
  f.persistence = (await lab.readJournal()).some((e) => e.ordinal === o.ordinal)
    ? (await checkPersistence.run({ names: n, ordinals: [o.ordinal] }, ctx)).data.verdict
    : null;
  return { facts: f, history: watch.history };
}

const conditionReason = (pod: V1Pod | undefined, type: string): string | null => {
  const c = pod && condition(pod, type);
  return c ? `${type} ${c.reason ?? c.status}` : null;
};

/** After NotReady: the pod's endpoint is not ready, and its name stops answering (asked from another lab pod). */
async function recordsGone(
  lab: Lab,
  n: LabNames,
  ordinal: number,
  from: string | undefined,
  interrupt: AbortSignal,
): Promise<{ endpointReady: boolean | null; dns: string }> {
  const deadline = Date.now() + RECORDS_SETTLE_MS;
  for (;;) {
    const endpoint = (await lab.endpointSlices())
      .flatMap((s) => s.endpoints ?? [])
      .find((e) => e?.targetRef?.name === podName(n, ordinal));
    const lookup = from
      ? parseLookup(
          (await lab.exec(from, ['nslookup', podDnsName(n, ordinal)], { timeoutMs: 15_000 })).stdout.toString(),
        )
      : undefined;
    const last = {
      endpointReady: endpoint ? endpoint.conditions?.ready !== false : false,
      dns: !lookup
        ? 'not asked (no other Ready lab pod)'
        : lookup.kind === 'answer'
          ? `answer ${lookup.ips.join(',')}`
          : lookup.kind,
    };
    if ((last.endpointReady === false && !last.dns.startsWith('answer')) || Date.now() > deadline) return last;
    await pause(2000, interrupt);
  }
}

/** An HTTP answer from the old pod's IP, asked from another lab pod (locally the bridges share one host). */
async function askOldIp(
  lab: Lab,
  from: string | undefined,
  ip: string,
): Promise<{ answered: boolean; detail: string }> {
  if (!from || !ip) return { answered: false, detail: 'no other Ready lab pod to ask from' };
  // timeout(1), not wget -T: Debian's static busybox wget crashes on -T.
  const r = await lab.exec(from, ['timeout', '3', 'wget', '-q', '-O', '/dev/null', `http://${ip}/`], {
    timeoutMs: 15_000,
  });
  const err = r.stderr.toString().trim();
  // A 403 or 404 is an answer too: a server still listens there.
  return {
    answered: r.code === 0 || /HTTP\/1\.[01] \d{3}|server returned error/.test(err),
    detail: err || (r.code === 143 || r.code === 124 ? 'no answer within 3s' : `exit ${r.code}`),
  };
}

/** After the node is back: the old copy stops answering (its kubelet kills what the API no longer knows). */
async function oldIpSilent(lab: Lab, from: string | undefined, ip: string, interrupt: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!(await askOldIp(lab, from, ip)).answered) return true;
    if (Date.now() > deadline) return false;
    await pause(2000, interrupt);
  }
}
