// krew end to end, offline: krew v0.4.4 (built from the Go module proxy) installs the plugin
// from the generated manifest and the real archives into a temporary KREW_ROOT, kubectl runs
// it and completes it, and every other platform's entry is selected and verified by krew.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { KUBECTL_DIR } from '../e2e/cluster-env.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RELEASE = join(ROOT, 'release');
const MANIFEST = join(RELEASE, 'krew-manifest.yaml');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const tools = join(ROOT, 'scripts', 'tools.sh');
execFileSync('bash', [tools, 'krew'], { stdio: 'inherit' });
const KREW = execFileSync('bash', [tools, '--path', 'krew'], { encoding: 'utf8' }).trim();

function krewEnv(extra: Record<string, string> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'sts-lab-krew-'));
  return {
    KREW_ROOT: root,
    HOME: root,
    PATH: [join(root, 'bin'), KUBECTL_DIR, '/usr/bin', '/bin'].join(':'),
    ...extra,
  };
}

const run = (cmd: string, args: string[], env: Record<string, string>) =>
  spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 120_000 });

test('krew installs the linux-amd64 archive; kubectl runs and completes the plugin; krew uninstalls it', () => {
  const env = krewEnv();
  const install = run(
    KREW,
    ['install', `--manifest=${MANIFEST}`, `--archive=${join(RELEASE, 'kubectl-sts_lab-linux-amd64.tar.gz')}`],
    env,
  );
  assert.equal(install.status, 0, install.stderr);
  const version = run('kubectl', ['sts-lab', '--version'], env);
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), pkg.version);
  // The README's one line for krew users: krew links only the executable, not the helper.
  const link = run(
    'sh',
    [
      '-c',
      'printf \'#!/bin/sh\\nexec kubectl-sts_lab __complete "$@"\\n\' > "$KREW_ROOT/bin/kubectl_complete-sts_lab" && chmod +x "$KREW_ROOT/bin/kubectl_complete-sts_lab"',
    ],
    env,
  );
  assert.equal(link.status, 0, link.stderr);
  const completed = run('kubectl', ['__complete', 'sts-lab', 'ki'], env);
  assert.match(completed.stdout, /^kill-pod\t/m);
  assert.ok(
    existsSync(join(env.KREW_ROOT, 'store', 'sts-lab', `v${pkg.version}`, 'kubectl_complete-sts_lab')),
    "the archive's helper is unpacked too",
  );
  // krew uninstall wants a local index (a git checkout), which an offline install never fetched: an empty one.
  execFileSync('git', ['init', '-q', join(env.KREW_ROOT, 'index', 'default')]);
  mkdirSync(join(env.KREW_ROOT, 'index', 'default', 'plugins'));
  const uninstall = run(KREW, ['uninstall', 'sts-lab'], env);
  assert.equal(uninstall.status, 0, uninstall.stderr);
  assert.equal(existsSync(join(env.KREW_ROOT, 'bin', 'kubectl-sts_lab')), false);
});

for (const [os, arch, archive, bin] of [
  ['darwin', 'amd64', 'kubectl-sts_lab-darwin-amd64.tar.gz', 'kubectl-sts_lab'],
  ['darwin', 'arm64', 'kubectl-sts_lab-darwin-arm64.tar.gz', 'kubectl-sts_lab'],
  ['linux', 'arm64', 'kubectl-sts_lab-linux-arm64.tar.gz', 'kubectl-sts_lab'],
  ['windows', 'amd64', 'kubectl-sts_lab-windows-amd64.zip', 'kubectl-sts_lab.exe'],
] as const) {
  test(`krew selects and verifies the ${os}/${arch} entry against its archive`, () => {
    const env = krewEnv({ KREW_OS: os, KREW_ARCH: arch });
    const install = run(KREW, ['install', `--manifest=${MANIFEST}`, `--archive=${join(RELEASE, archive)}`], env);
    assert.equal(install.status, 0, install.stderr);
    assert.ok(existsSync(join(env.KREW_ROOT, 'store', 'sts-lab', `v${pkg.version}`, bin)), `${bin} unpacked`);
  });
}

test("krew refuses an archive whose sha256 is not the manifest's", () => {
  const env = krewEnv();
  const wrong = join(env.KREW_ROOT, 'sts-lab.yaml');
  const sums = readFileSync(MANIFEST, 'utf8').replace(
    /sha256: ([0-9a-f]{64})/g,
    (_m, s: string) => `sha256: ${s.slice(0, 63)}${s.endsWith('0') ? '1' : '0'}`,
  );
  writeFileSync(wrong, sums);
  const install = run(
    KREW,
    ['install', `--manifest=${wrong}`, `--archive=${join(RELEASE, 'kubectl-sts_lab-linux-amd64.tar.gz')}`],
    env,
  );
  assert.notEqual(install.status, 0);
  assert.match(install.stderr, /sha256|checksum/i);
  assert.equal(existsSync(join(env.KREW_ROOT, 'bin', 'kubectl-sts_lab')), false);
});
