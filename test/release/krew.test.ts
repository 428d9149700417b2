// The release as krew would take it: release/krew-manifest.yaml against krew's rules and
// against the archives it names (sha256, binary inside), and the top-level copy.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { krewProblems } from '../../scripts/lib/krew.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RELEASE = join(ROOT, 'release');
if (!existsSync(join(RELEASE, 'krew-manifest.yaml'))) throw new Error('release/ is missing: run npm run release first');
const manifest = parse(readFileSync(join(RELEASE, 'krew-manifest.yaml'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const listing = (file: string): string[] =>
  file.endsWith('.zip')
    ? execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n')
    : execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');

test('the manifest follows krew rules and names the package version', () => {
  assert.deepEqual(krewProblems(manifest, 'sts-lab.yaml'), []);
  assert.equal(manifest.metadata.name, 'sts-lab');
  assert.equal(manifest.spec.version, `v${pkg.version}`);
  assert.deepEqual(
    manifest.spec.platforms.map((p: any) => `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`),
    ['linux/amd64', 'linux/arm64', 'windows/amd64', 'darwin/amd64', 'darwin/arm64'],
  );
});

test('every platform: sha256 of its archive, binary and LICENSE inside, checksums.txt agrees', () => {
  const checksums = readFileSync(join(RELEASE, 'checksums.txt'), 'utf8');
  for (const p of manifest.spec.platforms) {
    const file = join(RELEASE, p.uri.split('/').pop());
    assert.ok(existsSync(file), `${file} missing`);
    const sum = createHash('sha256').update(readFileSync(file)).digest('hex');
    assert.equal(p.sha256, sum, `sha256 of ${file}`);
    assert.match(checksums, new RegExp(`^${sum}  ${p.uri.split('/').pop().replace(/\./g, '\\.')}$`, 'm'));
    const inside = listing(file);
    assert.ok(inside.includes(p.bin), `${p.bin} not in ${file}: ${inside}`);
    assert.ok(inside.includes('LICENSE'), `LICENSE not in ${file}`);
    const helper =
      p.selector.matchLabels.os === 'windows' ? 'kubectl_complete-sts_lab.cmd' : 'kubectl_complete-sts_lab';
    assert.ok(inside.includes(helper), `${helper} not in ${file}`);
    assert.ok(
      p.files.some((f: { from: string }) => f.from === helper),
      `${helper} unpacked by krew`,
    );
  }
});

test('the committed krew-manifest.yaml is valid and matches this release but for checksums', () => {
  // linux-amd64 embeds a V8 startup snapshot, which is not byte-reproducible: its sha256 differs per build.
  const committed = parse(readFileSync(join(ROOT, 'krew-manifest.yaml'), 'utf8'));
  assert.deepEqual(krewProblems(committed, 'sts-lab.yaml'), []);
  const withoutSums = (m: any) => ({
    ...m,
    spec: { ...m.spec, platforms: m.spec.platforms.map((p: any) => ({ ...p, sha256: '' })) },
  });
  assert.deepEqual(withoutSums(committed), withoutSums(manifest));
});

test('the linux-amd64 archive holds a working single executable', () => {
  const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
  execFileSync('tar', ['-xzf', join(RELEASE, 'kubectl-sts_lab-linux-amd64.tar.gz'), '-C', dir]);
  const out = execFileSync(join(dir, 'kubectl-sts_lab'), ['--version'], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin' },
    cwd: dir,
  });
  assert.equal(out.trim(), pkg.version);
});

test('the linux-arm64 binary runs (under qemu user emulation)', () => {
  const out = execFileSync(
    'qemu-aarch64-static',
    ['-L', '/usr/aarch64-linux-gnu', join(RELEASE, 'bin', 'linux-arm64', 'kubectl-sts_lab'), '--version'],
    { encoding: 'utf8' },
  );
  assert.equal(out.trim(), pkg.version);
});

test('the windows-amd64 binary is a PE executable with the bundle injected', () => {
  const exe = readFileSync(join(RELEASE, 'bin', 'windows-amd64', 'kubectl-sts_lab.exe'));
  assert.equal(exe.subarray(0, 2).toString('latin1'), 'MZ');
  assert.ok(exe.includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1'), 'SEA fuse flipped');
  assert.ok(exe.includes('Walks you through a StatefulSet lab'), 'the CLI bundle is inside');
});
