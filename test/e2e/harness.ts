// End-to-end harness: runs the built single executable through the real kubectl (plugin
// on PATH), from an empty directory with a clean environment, against the local cluster.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_KUBECONFIG, KUBECTL_DIR, ROOT, run as runIn, type Result, type RunOptions } from './cluster-env.ts';

export {
  IMAGE,
  K8S_MINOR,
  K8S_VERSION,
  LIMITED_KUBECONFIG,
  LIMITED_NAMESPACE,
  MAX_UNAVAILABLE_ON,
  type Result,
} from './cluster-env.ts';

export const PLUGIN_DIR = join(ROOT, 'dist', 'bin');

if (!existsSync(join(PLUGIN_DIR, 'kubectl-sts_lab')))
  throw new Error('dist/bin/kubectl-sts_lab is missing: run npm run build first');
if (!existsSync(ADMIN_KUBECONFIG)) throw new Error(`no cluster: ${ADMIN_KUBECONFIG} is missing (npm run cluster:up)`);

/** An empty working directory and HOME: no node_modules, no ~/.kube, nothing inherited. */
const sandbox = mkdtempSync(join(tmpdir(), 'sts-lab-e2e-'));

export const cleanEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: [KUBECTL_DIR, PLUGIN_DIR, '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
  HOME: sandbox,
  KUBECONFIG: ADMIN_KUBECONFIG,
  LANG: 'C.UTF-8',
  ...extra,
});

export const run = (cmd: string, args: string[], opts: RunOptions = {}): Promise<Result> =>
  runIn(cmd, args, { cwd: sandbox, env: cleanEnv(), ...opts });

/** `kubectl sts-lab ARGS` — exactly what a user types. */
export const sts = (args: string[], env?: Record<string, string>) =>
  run('kubectl', ['sts-lab', ...args], { env: cleanEnv(env) });

/** `kubectl sts-lab ARGS -o json`, which must succeed, parsed. */
export async function stsJson<T = any>(args: string[]): Promise<T> {
  const r = await sts([...args, '-o', 'json']);
  if (r.code !== 0) throw new Error(`kubectl sts-lab ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export const kubectl = (args: string[], input?: string) => run('kubectl', args, input === undefined ? {} : { input });

export async function kubectlJson<T = any>(args: string[]): Promise<T> {
  const r = await kubectl([...args, '-o', 'json']);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export async function exists(kind: string, name: string, namespace?: string): Promise<boolean> {
  const r = await kubectl([
    'get',
    kind,
    name,
    ...(namespace ? ['-n', namespace] : []),
    '--ignore-not-found',
    '-o',
    'name',
  ]);
  return r.stdout.trim() !== '';
}

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/** Removes a test namespace whatever state the test left it in. */
export async function dropNamespace(ns: string): Promise<void> {
  await kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=true', '--timeout=120s']);
}

/** A file in the sandbox with these contents (a broken kubeconfig, say). */
export function sandboxFile(name: string, text: string): string {
  const file = join(sandbox, name);
  writeFileSync(file, text);
  return file;
}

/** A kubeconfig with a token user; verifyTls leaves the CA out, so the server's certificate is unknown. */
export function writeKubeconfig(name: string, server: string, verifyTls = false): string {
  const file = join(sandbox, name);
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n${verifyTls ? '' : '    insecure-skip-tls-verify: true\n'}users:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: ctx\n  context: {cluster: c, user: u}\ncurrent-context: ctx\n`,
  );
  return file;
}

/** Output with its wrapped lines joined: prose and table cells wrap to 80 columns when piped. */
export const flat = (text: string) => text.replace(/\s+/g, ' ');

/** The single `error: …` line of a failed run; asserts there is exactly one and no stack trace. */
export function errorLine(r: Result): string {
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  if (lines.length !== 1) throw new Error(`expected one error line, got ${lines.length}:\n${r.stderr}`);
  if (/\n\s+at .+\(.+:\d+:\d+\)/.test(r.stderr)) throw new Error(`stack trace on stderr:\n${r.stderr}`);
  return lines[0]!;
}

/** A command the learner typed, and what it answered. */
export interface Typed {
  command: string;
  code: number | null;
  output: string;
}

/**
 * A learner at a second terminal for a hands-on tour: types each command the tour shows
 * (`Your turn: kubectl …`) through a shell, as it is shown, quotes and all, one after another.
 */
export function learner(): { onStderr: (chunk: string) => void; typed: Typed[]; idle: () => Promise<void> } {
  const typed: Typed[] = [];
  let partial = '';
  let queue = Promise.resolve();
  const onStderr = (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const command = /Your turn: (kubectl .*)$/.exec(line)?.[1];
      if (!command) continue;
      queue = queue.then(async () => {
        const r = await run('bash', ['-c', command]);
        typed.push({ command, code: r.code, output: (r.stdout + r.stderr).trim() });
      });
    }
  };
  return { onStderr, typed, idle: () => queue };
}
