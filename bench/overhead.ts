// What setup adds to the cluster's own time (issue 17, goal 5): an independent watch (kubectl's
// raw watch stream, one event a line, stamped as it arrives) sees the first pod appear and the
// last become Ready; setup's own -o json says when its watch saw each pod Ready. At 3 OrderedReady
// and at 50 Parallel replicas, 3 runs each; appends to bench/results.md.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { clusterPaths, ROOT } from '../test/cluster/paths.ts';

const paths = clusterPaths();
const image = paths.STS_LAB_IMAGE ?? 'localhost/sts-lab-nginx:1.0';
const env = {
  ...process.env,
  KUBECONFIG: paths.STS_LAB_KUBECONFIG ?? '',
  PATH: `${paths.STS_LAB_KUBECTL_DIR}:${join(ROOT, 'dist', 'bin')}:${process.env.PATH}`,
};
const RUNS = Number(process.env.BENCH_OVERHEAD_RUNS ?? 3);

const run = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; endedAt: number }> =>
  new Promise((resolve) => {
    const p = spawn('kubectl-sts_lab', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr, endedAt: Date.now() }));
  });

/** A lab left behind would run on into the tests that follow (a node test counts the pods on its node). */
async function tearDown(ns: string): Promise<void> {
  const r = await run(['-n', ns, 'teardown', '--progress', 'none']);
  if (r.code !== 0) throw new Error(`teardown of ${ns} exited ${r.code}: ${r.stderr.trim()}`);
}

interface WatchEvent {
  type: string;
  object: { metadata: { uid: string }; status?: { conditions?: { type: string; status: string }[] } };
}

async function measure(replicas: number, parallel: boolean) {
  const ns = `sts-lab-bench-overhead-${replicas}`;
  await tearDown(ns);
  const watcher = spawn(
    'kubectl',
    ['get', '--raw', `/api/v1/namespaces/${ns}/pods?watch=1&labelSelector=app%3Dnginx-sts`],
    { env, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let firstSeen: number | undefined;
  const ready = new Map<string, number>();
  createInterface({ input: watcher.stdout }).on('line', (line) => {
    const at = Date.now();
    const e = JSON.parse(line) as WatchEvent;
    firstSeen ??= at;
    const isReady = e.object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (isReady && !ready.has(e.object.metadata.uid)) ready.set(e.object.metadata.uid, at);
  });
  // When the StatefulSet was created: the controller's delay until the first pod is the cluster's.
  const stsWatcher = spawn('kubectl', ['get', '--raw', `/apis/apps/v1/namespaces/${ns}/statefulsets?watch=1`], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let created: number | undefined;
  createInterface({ input: stsWatcher.stdout }).on('line', () => (created ??= Date.now()));
  await new Promise((r) => setTimeout(r, 1000)); // the watches are open before setup starts
  const startedAt = Date.now();
  const setup = await run([
    '-n',
    ns,
    'setup',
    '--image',
    image,
    '--replicas',
    String(replicas),
    ...(parallel ? ['--parallel'] : []),
    '--progress',
    'none',
    '-o',
    'json',
    '--timeout',
    '15m',
  ]);
  watcher.kill();
  stsWatcher.kill();
  if (setup.code !== 0) throw new Error(`setup of ${replicas} exited ${setup.code}: ${setup.stderr.trim()}`);
  const seen = (JSON.parse(setup.stdout) as { readySeen: { uid: string; at: string }[] }).readySeen;
  await tearDown(ns);
  const lastReady = Math.max(...ready.values());
  if (created === undefined || firstSeen === undefined || ready.size !== replicas || seen.length !== replicas)
    throw new Error(`the watches saw ${ready.size} and ${seen.length} of ${replicas} pods Ready`);
  return {
    beforeMs: created - startedAt,
    controllerMs: firstSeen - created,
    afterMs: setup.endedAt - lastReady,
    clusterMs: lastReady - firstSeen,
    noticeMs: seen.map((s) => Date.parse(s.at) - ready.get(s.uid)!),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: string[] = [];
for (const [replicas, parallel] of [
  [3, false],
  [50, true],
] as const) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(replicas, parallel));
  const before = median(runs.map((r) => r.beforeMs));
  const controller = median(runs.map((r) => r.controllerMs));
  const after = median(runs.map((r) => r.afterMs));
  const notices = runs.flatMap((r) => r.noticeMs);
  const worst = Math.max(...notices);
  const added = before + after;
  rows.push(
    `| ${replicas} ${parallel ? 'Parallel' : 'OrderedReady'} | ${median(runs.map((r) => r.clusterMs))} | ${before} | ${controller} | ${after} | ${added <= 300 ? '**met**' : `**not met** (${added - 300} ms over)`} | ${median(notices)} / ${worst} | ${worst <= 50 ? '**met**' : `**not met** (${worst - 50} ms over)`} |`,
  );
}
const md = `
## Overhead over the cluster's own time (\`bench/overhead.ts\`, median of ${RUNS} runs)

An independent watch (\`kubectl get --raw …?watch=1\`, each event stamped as it arrives) sees the StatefulSet created, the first pod appear and the last become Ready: the cluster's time. Before: from setup's start (a new process: start-up, preflight, the watches, the creates) to the StatefulSet's creation; controller: from there to the first pod (the cluster's, not counted); after: from the last Ready to setup's exit. Notice: when setup's watch saw each pod Ready (\`readySeen\`) minus when the independent watch did.

| replicas | cluster ms (first pod → last Ready) | before ms | controller ms | after ms | added ≤ 300 ms | notice ms (median / worst) | notice ≤ 50 ms |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
appendFileSync(join(ROOT, 'bench', 'results.md'), md);
console.log(md);
