// npm run bench: sts-lab beside kubectl, on the local cluster, in paired and interleaved runs
// (each run times both commands back to back, in alternating order, so both see the same
// machine): start-up, status on 3 and on 50 pods, and peak memory of every kind of command.
// Writes bench/results.md (then bench/api-requests.ts adds the API traffic). Goals are from
// issue 17; a goal not met says by how much.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { buildSea, HOST_NODE, ROOT } from '../scripts/lib/sea.ts';
import { clusterPaths } from '../test/cluster/paths.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const built = join(ROOT, 'dist', 'bin', 'kubectl-sts_lab');
if (!existsSync(built)) throw new Error('dist/bin/kubectl-sts_lab is missing: run npm run build first');
const paths = clusterPaths();
const kubectl = join(paths.STS_LAB_KUBECTL_DIR ?? '', 'kubectl');
const image = paths.STS_LAB_IMAGE ?? 'localhost/sts-lab-nginx:1.0';
const env = {
  PATH: `${paths.STS_LAB_KUBECTL_DIR}:/usr/bin:/bin`,
  HOME: join(ROOT, 'dist', 'bench'),
  KUBECONFIG: paths.STS_LAB_KUBECONFIG ?? '',
};

const benchDir = join(ROOT, 'dist', 'bench');
mkdirSync(benchDir, { recursive: true });

/**
 * Every executable is measured as an installer leaves it: written 32 KiB at a time, as krew's
 * extraction (Go's io.Copy) writes it. Written in one go (--build-sea does), a file's page cache
 * sits in large folios that the kernel maps whole at each fault: the same --help then shows about
 * 30 MiB more RSS, all of it pages of the executable (measured: 85 against 53 MiB).
 */
function installed(from: string): string {
  const to = join(benchDir, 'installed', from.split('/').pop()!);
  mkdirSync(join(to, '..'), { recursive: true });
  rmSync(to, { force: true });
  const bytes = readFileSync(from);
  const fd = openSync(to, 'w', 0o755);
  for (let at = 0; at < bytes.length; at += 32 * 1024) writeSync(fd, bytes, at, Math.min(32 * 1024, bytes.length - at));
  closeSync(fd);
  return to;
}
const plugin = installed(built);

// The floors, built into the same Node with a code cache: what any single executable costs to
// start, and what one with a single API request (node:https, no libraries) costs.
const floor = (name: string, main: string): string => {
  buildSea({ nodeBin: HOST_NODE, out: join(benchDir, name), startup: 'code-cache', main });
  return installed(join(benchDir, name));
};
writeFileSync(join(benchDir, 'trivial.cjs'), 'console.log("hi");\n');
const trivial = floor('trivial-sea', join(benchDir, 'trivial.cjs'));
const oneRequest = floor('one-request-sea', join(ROOT, 'bench', 'floor-https.cjs'));

type Cmd = [string, ...string[]];
const once = ([cmd, ...args]: Cmd): number => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Paired {
  name: string;
  ours: number[];
  theirs: number[];
  ratio: number;
  goal: number;
}
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

interface Peak {
  mib: number;
  anonMiB?: number;
  fileMiB?: number;
}
const SPLIT_FILE = join(benchDir, 'rss-split.json');
/** Max RSS; for a Node executable also its split at exit (bench/rss-split.cjs), near its peak. */
const peak = ([cmd, ...args]: Cmd, node = true): Peak => {
  rmSync(SPLIT_FILE, { force: true });
  const split = node
    ? { NODE_OPTIONS: `--require=${join(ROOT, 'bench', 'rss-split.cjs')}`, RSS_SPLIT_FILE: SPLIT_FILE }
    : {};
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
    env: { ...env, ...split },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  const mib = Number(r.stderr.trim().split('\n').pop()) / 1024;
  if (!node) return { mib };
  const { anonKiB, fileKiB } = JSON.parse(readFileSync(SPLIT_FILE, 'utf8')) as { anonKiB: number; fileKiB: number };
  return { mib, anonMiB: anonKiB / 1024, fileMiB: fileKiB / 1024 };
};
const sts = (...args: string[]): Cmd => [plugin, '--progress', 'none', ...args];
const getAll = (ns: string): Cmd => [kubectl, 'get', 'statefulsets,pods,persistentvolumeclaims,services', '-n', ns];

const NS3 = 'sts-lab-bench';
const NS50 = 'sts-lab-bench-50';
const memory: [string, Peak, boolean][] = [];
const mem = (what: string, cmd: Cmd) => memory.push([what, peak(cmd), true]);
const reference = (what: string, cmd: Cmd, node = true) => memory.push([what, peak(cmd, node), false]);

reference('the floor: a trivial single executable', [trivial]);
reference('the floor of a cluster command: one API request (node:https)', [oneRequest]);
mem('--help', sts('--help'));
mem('--version', sts('--version'));
// The installed copy is new: its first cluster command compiles the cluster layer and writes the code cache.
mem('status, first run (writes the code cache)', sts('-n', NS3, 'status'));
mem(`setup (3 pods)`, sts('-n', NS3, 'setup', '--image', image));
const timings = [
  paired('kubectl-sts_lab --help / kubectl --help', [plugin, '--help'], [kubectl, '--help'], 1.0),
  paired(
    'kubectl-sts_lab --version / kubectl version --client',
    [plugin, '--version'],
    [kubectl, 'version', '--client'],
    1.0,
  ),
  paired(
    'status / kubectl get statefulsets,pods,persistentvolumeclaims,services (3 pods)',
    sts('-n', NS3, 'status'),
    getAll(NS3),
    1.5,
  ),
  // A first run: no code cache of the cluster layer to read, and none can be written.
  paired(
    'status, first run (no code cache) / kubectl get … (3 pods)',
    ['/usr/bin/env', 'XDG_CACHE_HOME=/dev/null/none', ...sts('-n', NS3, 'status')],
    getAll(NS3),
    1.5,
  ),
  paired(
    'trivial single executable / kubectl --help (the floor)',
    [trivial],
    [kubectl, '--help'],
    Number.POSITIVE_INFINITY,
  ),
  paired(
    'one API request (node:https) / kubectl version (the floor of a cluster command)',
    [oneRequest],
    [kubectl, 'version'],
    Number.POSITIVE_INFINITY,
  ),
];
reference('kubectl get statefulsets,pods,persistentvolumeclaims,services (3 pods)', getAll(NS3), false);
mem('status (3 pods)', sts('-n', NS3, 'status'));
mem('teardown (3 pods)', sts('-n', NS3, 'teardown'));
mem(
  'setup --parallel --replicas 50',
  sts('-n', NS50, 'setup', '--image', image, '--parallel', '--replicas', '50', '--timeout', '15m'),
);
timings.push(
  paired('status / kubectl get … (50 pods)', sts('-n', NS50, 'status'), getAll(NS50), 1.5, Math.min(RUNS, 15)),
);
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

| command | MiB | own (anonymous) at exit | mapped from the executable at exit | goal ≤ ${MEMORY_GOAL} |
|---|---|---|---|---|
${memory.map(([w, m, judged]) => `| ${w} | ${m.mib.toFixed(1)} | ${m.anonMiB?.toFixed(1) ?? '–'} | ${m.fileMiB?.toFixed(1) ?? '–'} | ${judged ? verdict(m.mib <= MEMORY_GOAL, `${(m.mib - MEMORY_GOAL).toFixed(1)} MiB over`) : '–'} |`).join('\n')}

Every executable is measured as an installer writes it (32 KiB at a time; see bench/run.ts). The
split comes from /proc/self/smaps_rollup at exit (bench/rss-split.cjs). What is mapped from the
executable is Node's own code and data as the kernel pages it in: the floors show what any Node
executable pays before sts-lab's code runs, and the one-request floor what TLS and HTTP add.
`;
writeFileSync(join(ROOT, 'bench', 'results.md'), md);
console.log(md);
