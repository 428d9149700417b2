// npm run bench: start-up of the single executable against kubectl and against the floor
// (a trivial single executable on the same Node), in one paired, interleaved run; peak RSS
// of --help and of status. Writes bench/results.md. Goal: --help ≤ 1.3 × kubectl --help.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { buildSea, HOST_NODE, ROOT } from '../scripts/sea.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const GOAL = 1.3;
const plugin = join(ROOT, 'dist', 'bin', 'kubectl-sts_lab');
if (!existsSync(plugin)) throw new Error('dist/bin/kubectl-sts_lab is missing: run npm run build first');
const paths = Object.fromEntries(
  execFileSync('bash', [join(ROOT, 'test', 'cluster', 'paths.sh')], { encoding: 'utf8' })
    .trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).replace(/^'(.*)'$/, '$1')]),
);
const builtKubectl = join(paths.STS_LAB_KUBECTL_DIR ?? '', 'kubectl');
const kubectl = existsSync(builtKubectl) ? builtKubectl : 'kubectl';

// The floor: what any single executable on this Node costs to start.
const trivialDir = join(ROOT, 'dist', 'bench');
mkdirSync(trivialDir, { recursive: true });
const trivialMain = join(trivialDir, 'trivial.cjs');
writeFileSync(trivialMain, 'console.log("hi");\n');
const trivial = join(trivialDir, 'trivial-sea');
buildSea({ nodeBin: HOST_NODE, out: trivial, codeCache: true, main: trivialMain });

const env = { PATH: '/usr/bin:/bin', HOME: trivialDir };
const subjects = [
  { name: 'kubectl-sts_lab --help', cmd: plugin, args: ['--help'] },
  { name: 'kubectl --help', cmd: kubectl, args: ['--help'] },
  { name: 'trivial single executable', cmd: trivial, args: [] },
];

function once(cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

// Warm up the page cache, then interleave so that every subject sees the same machine state.
for (const s of subjects) for (let i = 0; i < 3; i++) once(s.cmd, s.args);
const times: number[][] = subjects.map(() => []);
for (let i = 0; i < RUNS; i++) {
  for (let k = 0; k < subjects.length; k++) {
    const j = (i + k) % subjects.length;
    times[j]!.push(once(subjects[j]!.cmd, subjects[j]!.args));
  }
}
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const ratios = times[0]!.map((t, i) => t / times[1]![i]!);
const ratio = quantile(ratios, 0.5);

function peakRssKiB(args: string[]): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', plugin, ...args], { env: { ...env, KUBECONFIG: paths.STS_LAB_KUBECONFIG ?? '' }, encoding: 'utf8' });
  return Number(r.stderr.trim().split('\n').pop());
}
const statusArgs = ['-n', 'default', 'status'];
const rss = { help: peakRssKiB(['--help']), status: peakRssKiB(statusArgs) };

const row = (name: string, xs: number[]) => `| ${name} | ${quantile(xs, 0.5).toFixed(1)} | ${quantile(xs, 0.1).toFixed(1)} | ${quantile(xs, 0.9).toFixed(1)} |`;
const md = `# Benchmarks

${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.versions.node}; ${RUNS} interleaved runs each (\`npm run bench\`, BENCH_RUNS to change).

## Start-up (wall time, ms)

| command | median | p10 | p90 |
|---|---|---|---|
${subjects.map((s, i) => row(s.name, times[i]!)).join('\n')}

Paired ratio kubectl-sts_lab --help / kubectl --help (median of per-run ratios): **${ratio.toFixed(2)}** — goal ≤ ${GOAL}: **${ratio <= GOAL ? 'met' : 'not met'}**.
kubectl is ${kubectl === 'kubectl' ? 'the kubectl on PATH' : 'the v1.34.4 kubectl built for the local cluster'}; the trivial single executable is \`console.log("hi")\` built into the same Node with the same settings (code cache on): the floor any Node single executable pays.

## Peak memory (max RSS)

| command | MiB |
|---|---|
| kubectl-sts_lab --help | ${(rss.help / 1024).toFixed(1)} |
| kubectl-sts_lab ${statusArgs.join(' ')} (loads the Kubernetes client, talks to the local cluster) | ${(rss.status / 1024).toFixed(1)} |
`;
writeFileSync(join(ROOT, 'bench', 'results.md'), md);
console.log(md);
