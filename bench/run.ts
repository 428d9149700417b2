// npm run bench: sts-lab beside kubectl, on the local cluster, in paired and interleaved runs
// (each run times both commands back to back, in alternating order, so both see the same
// machine): start-up, status on 3 and on 50 pods, and peak memory of every kind of command.
// Writes bench/results.md (then bench/api-requests.ts adds the API traffic). Goals are from
// issue 17; a goal not met says by how much.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { buildSea, HOST_NODE, ROOT } from '../scripts/sea.ts';
import { clusterPaths } from '../test/cluster/paths.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const plugin = join(ROOT, 'dist', 'bin', 'kubectl-sts_lab');
if (!existsSync(plugin)) throw new Error('dist/bin/kubectl-sts_lab is missing: run npm run build first');
const paths = clusterPaths();
const kubectl = join(paths.STS_LAB_KUBECTL_DIR ?? '', 'kubectl');
const image = paths.STS_LAB_IMAGE ?? 'localhost/sts-lab-nginx:1.0';
const env = { PATH: `${paths.STS_LAB_KUBECTL_DIR}:/usr/bin:/bin`, HOME: join(ROOT, 'dist', 'bench'), KUBECONFIG: paths.STS_LAB_KUBECONFIG ?? '' };

// The floor: what any single executable on this Node costs to start.
const floorDir = join(ROOT, 'dist', 'bench');
mkdirSync(floorDir, { recursive: true });
writeFileSync(join(floorDir, 'trivial.cjs'), 'console.log("hi");\n');
const trivial = join(floorDir, 'trivial-sea');
buildSea({ nodeBin: HOST_NODE, out: trivial, startup: 'code-cache', main: join(floorDir, 'trivial.cjs') });

type Cmd = [string, ...string[]];
const once = ([cmd, ...args]: Cmd): number => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Paired { name: string; ours: number[]; theirs: number[]; ratio: number; goal: number }
function paired(name: string, ours: Cmd, theirs: Cmd, goal: number, runs = RUNS): Paired {
  for (let i = 0; i < 3; i++) {
    once(ours);
    once(theirs);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2) [b[i], a[i]] = [once(theirs), once(ours)];
    else [a[i], b[i]] = [once(ours), once(theirs)];
  }
  return { name, ours: a, theirs: b, ratio: median(a.map((t, i) => t / b[i]!)), goal };
}

const peakMiB = ([cmd, ...args]: Cmd): number => {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return Number(r.stderr.trim().split('\n').pop()) / 1024;
};
const sts = (...args: string[]): Cmd => [plugin, '--progress', 'none', ...args];
const getAll = (ns: string): Cmd => [kubectl, 'get', 'statefulsets,pods,persistentvolumeclaims,services', '-n', ns];

const NS3 = 'sts-lab-bench';
const NS50 = 'sts-lab-bench-50';
const memory: [string, number][] = [];
const mem = (what: string, cmd: Cmd) => memory.push([what, peakMiB(cmd)]);

mem('the floor: a trivial single executable', [trivial]);
mem('--help', sts('--help'));
mem('--version', sts('--version'));
mem(`setup (3 pods)`, sts('-n', NS3, 'setup', '--image', image));
const timings = [
  paired('kubectl-sts_lab --help / kubectl --help', [plugin, '--help'], [kubectl, '--help'], 1.0),
  paired('kubectl-sts_lab --version / kubectl version --client', [plugin, '--version'], [kubectl, 'version', '--client'], 1.0),
  paired('status / kubectl get statefulsets,pods,persistentvolumeclaims,services (3 pods)', sts('-n', NS3, 'status'), getAll(NS3), 1.5),
  // A first run: no code cache of the cluster layer to read, and none can be written.
  paired('status, first run (no code cache) / kubectl get … (3 pods)', ['/usr/bin/env', 'XDG_CACHE_HOME=/dev/null/none', ...sts('-n', NS3, 'status')], getAll(NS3), 1.5),
  paired('trivial single executable / kubectl --help (the floor)', [trivial], [kubectl, '--help'], Number.POSITIVE_INFINITY),
];
mem('status (3 pods)', sts('-n', NS3, 'status'));
mem('teardown (3 pods)', sts('-n', NS3, 'teardown'));
mem('setup --parallel --replicas 50', sts('-n', NS50, 'setup', '--image', image, '--parallel', '--replicas', '50', '--timeout', '15m'));
timings.push(paired('status / kubectl get … (50 pods)', sts('-n', NS50, 'status'), getAll(NS50), 1.5, Math.min(RUNS, 15)));
mem('status (50 pods)', sts('-n', NS50, 'status'));
mem('teardown (50 pods)', sts('-n', NS50, 'teardown', '--timeout', '15m'));
if (process.env.BENCH_TOUR !== '0') mem('tour --part all', sts('-n', NS3, 'tour', '--part', 'all', '--image', image));

const MEMORY_GOAL = 80;
const verdict = (ok: boolean, by: string) => (ok ? '**met**' : `**not met** (${by})`);
const md = `# Benchmarks

${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.versions.node}, the local single executable (linux-x64, V8 startup snapshot) against kubectl v1.34.4 on the local cluster; ${RUNS} paired runs each (\`npm run bench\`; BENCH_RUNS, BENCH_TOUR=0 to skip the tour).

## Time: paired ratios (median of per-run ratios)

| pair | sts-lab median ms | kubectl median ms | ratio | goal |
|---|---|---|---|---|
${timings.map((p) => `| ${p.name} | ${median(p.ours).toFixed(1)} | ${median(p.theirs).toFixed(1)} | ${p.ratio.toFixed(2)} | ${Number.isFinite(p.goal) ? `≤ ${p.goal}: ${verdict(p.ratio <= p.goal, `${((p.ratio / p.goal - 1) * 100).toFixed(0)} % over`)}` : '–'} |`).join('\n')}

The plugin is timed directly (\`kubectl sts-lab\` adds kubectl's own start-up and its plugin lookup). The
trivial single executable is \`console.log("hi")\` built into the same Node with a code cache: the floor
any Node single executable pays. Only linux-x64 can carry the snapshot (it is made on this machine);
the cross-built archives start without one. \`status\` reads the code cache of the cluster layer that
its first run left in \`$XDG_CACHE_HOME/sts-lab/code-cache\`; the first-run row has none to read and
cannot write one.

## Peak memory (max RSS, MiB)

| command | MiB | goal ≤ ${MEMORY_GOAL} |
|---|---|---|
${memory.map(([w, m]) => `| ${w} | ${m.toFixed(1)} | ${verdict(m <= MEMORY_GOAL, `${(m - MEMORY_GOAL).toFixed(1)} MiB over`)} |`).join('\n')}
`;
writeFileSync(join(ROOT, 'bench', 'results.md'), md);
console.log(md);
