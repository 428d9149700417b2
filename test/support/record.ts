// npm run fixtures: records what the local cluster answers to each command of the in-process
// tests (test/inprocess/), into test/fixtures/*.json. Runs the commands one after another in
// namespace sts-lab-fixtures, through main() with a RecordingCluster around the real client.
// Needs the local cluster up (npm run cluster:up); takes about four minutes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import './from-source.ts';
import { main } from '../../src/cli.ts';
import { connect } from '../../src/k8s/client.ts';
import { clusterPaths, ROOT } from '../cluster/paths.ts';
import { FIXTURES, NAMESPACE, SCENARIOS, type Scenario } from './scenarios.ts';
import { RecordingCluster } from './replay.ts';

const paths = clusterPaths();
const kubeconfig = paths.STS_LAB_KUBECONFIG ?? '';
const image = paths.STS_LAB_IMAGE ?? 'localhost/sts-lab-nginx:1.0';
const kubectl = (...args: string[]) =>
  execFileSync(join(paths.STS_LAB_KUBECTL_DIR ?? '', 'kubectl'), ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
  });
const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

async function record(s: Scenario): Promise<void> {
  const argv = s.argv(image);
  const interrupt = new AbortController();
  const cluster = new RecordingCluster(connect({ kubeconfig, requestTimeoutMs: 0 }, interrupt.signal), argv);
  let out = '';
  let err = '';
  const code = await main(
    ['--kubeconfig', kubeconfig, ...argv],
    interrupt.signal,
    { out: (t) => (out += t), err: (t) => (err += t) },
    100,
    cluster,
  );
  cluster.finish();
  if (code !== s.exit) throw new Error(`${argv.join(' ')} exited ${code}, expected ${s.exit}:\n${out}${err}`);
  writeFileSync(join(FIXTURES, `${s.name}.json`), `${JSON.stringify(cluster.recording)}\n`);
  process.stderr.write(
    `recorded ${s.name}: ${cluster.recording.calls.length} operations, ${cluster.recording.events.length} watch events\n`,
  );
}

/** A cluster without a default StorageClass, for as long as body runs (the tour --storage-class case). */
async function withoutDefaultClass(body: () => Promise<void>): Promise<void> {
  const defaults = kubectl(
    'get',
    'storageclass',
    '-o',
    `jsonpath={range .items[?(@.metadata.annotations.storageclass\\.kubernetes\\.io/is-default-class=="true")]}{.metadata.name}{"\\n"}{end}`,
  )
    .split('\n')
    .filter(Boolean);
  for (const c of defaults) kubectl('annotate', 'storageclass', c, `${DEFAULT_CLASS}=false`, '--overwrite');
  try {
    await body();
  } finally {
    for (const c of defaults) kubectl('annotate', 'storageclass', c, `${DEFAULT_CLASS}=true`, '--overwrite');
  }
}

try {
  execFileSync('bash', [join(ROOT, 'test', 'cluster', 'status.sh')], { stdio: 'ignore' });
} catch {
  console.error('error: the local cluster is not running: npm run cluster:up first');
  process.exit(1);
}
mkdirSync(FIXTURES, { recursive: true });
kubectl('delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true');
for (const s of SCENARIOS) {
  if (s.noDefaultClass) await withoutDefaultClass(() => record(s));
  else await record(s);
}
kubectl('delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true');
