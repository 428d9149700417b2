// The local cluster as the end-to-end tests see it: its paths (test/cluster/paths.sh) and a
// bounded process runner. Plugin-specific helpers live in harness.ts.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { clusterPaths, ROOT } from '../cluster/paths.ts';

export { ROOT };

export const cluster = clusterPaths();
export const ADMIN_KUBECONFIG = cluster.STS_LAB_KUBECONFIG!;
export const LIMITED_KUBECONFIG = cluster.STS_LAB_LIMITED_KUBECONFIG!;
export const LIMITED_NAMESPACE = cluster.STS_LAB_LIMITED_NAMESPACE!;
export const KUBECTL_DIR = cluster.STS_LAB_KUBECTL_DIR!;
export const IMAGE = cluster.STS_LAB_IMAGE!;
/** The version the cluster runs and the gates a run turned on: what a version-dependent proof expects. */
export const K8S_VERSION = cluster.STS_LAB_K8S_VERSION!;
export const K8S_MINOR = Number(/^v1\.(\d+)\./.exec(K8S_VERSION)![1]);
export const gateNamed = (gate: string): boolean =>
  (cluster.STS_LAB_FEATURE_GATES ?? '').split(',').includes(`${gate}=true`);
/** MaxUnavailableStatefulSet: on by default from 1.37, before that only when the run names it. */
export const MAX_UNAVAILABLE_ON = K8S_MINOR >= 37 || gateNamed('MaxUnavailableStatefulSet');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  input?: string;
  cwd?: string;
  /** Each piece of stderr as it comes: a test can act on what a command shows while it runs. */
  onStderr?: (chunk: string) => void;
}

/** Runs a command to completion; a command over its time is killed and the run fails. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<Result> {
  const timeoutMs = opts.timeoutMs ?? 420_000;
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`timed out after ${timeoutMs} ms: ${cmd} ${args.join(' ')}\n${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      opts.onStderr?.(d);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    // A child that exits before reading stdin must not crash the runner (EPIPE).
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * The cluster's one DNS server is shared by every test file that resolves names; the test
 * that stops it takes it exclusively. A flock held by a child process: released when the
 * returned function is called, or when this process dies (its stdin closes).
 */
export async function holdDnsLock(mode: 'shared' | 'exclusive'): Promise<() => void> {
  const child = spawn(
    'flock',
    [
      mode === 'shared' ? '-s' : '-x',
      join(cluster.STS_LAB_CLUSTER_DIR!, 'dns.lock'),
      'sh',
      '-c',
      'echo held; exec cat >/dev/null',
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((held, fail) => {
    child.stdout.once('data', () => held());
    child.once('exit', (code) => fail(new Error(`flock on the DNS lock exited with ${code}`)));
  });
  return () => child.stdin.end();
}

/**
 * For a file whose tests resolve names through cluster DNS, which dns-outage.test.ts stops: the lock, shared, for the
 * whole file.
 */
export function sharesClusterDns(): void {
  let release: () => void = () => undefined;
  before(async () => (release = await holdDnsLock('shared')));
  after(() => release());
}
