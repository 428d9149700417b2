// krew's manifest rules, checked on broken manifests (each must be caught).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { krewManifest, krewProblems } from '../../scripts/lib/krew.ts';

const good = () =>
  parse(
    krewManifest('1.2.3', [
      {
        os: 'linux',
        arch: 'amd64',
        uri: 'https://x/y-linux-amd64.tar.gz',
        sha256: 'a'.repeat(64),
        bin: 'kubectl-sts_lab',
        archive: 'y.tar.gz',
        helper: 'kubectl_complete-sts_lab',
      },
      {
        os: 'windows',
        arch: 'amd64',
        uri: 'https://x/y-windows-amd64.zip',
        sha256: 'b'.repeat(64),
        bin: 'kubectl-sts_lab.exe',
        archive: 'y.zip',
        helper: 'kubectl_complete-sts_lab.cmd',
      },
    ]),
  );

test('the generated manifest passes krew rules', () => {
  const m = good();
  assert.deepEqual(krewProblems(m, 'sts-lab.yaml'), []);
  assert.equal(m.spec.version, 'v1.2.3');
  assert.ok(m.spec.shortDescription.length <= 50);
  assert.match(m.spec.caveats, /default StorageClass/);
});

test('each broken rule is reported', () => {
  const cases: [string, (m: any) => void, RegExp][] = [
    ['name', (m) => (m.metadata.name = 'sts lab'), /metadata\.name/],
    ['version without v', (m) => (m.spec.version = '1.2.3'), /v prefix/],
    ['uppercase sha', (m) => (m.spec.platforms[0].sha256 = 'A'.repeat(64)), /lowercase hex/],
    ['short sha', (m) => (m.spec.platforms[0].sha256 = 'abc'), /64 lowercase/],
    ['selector key', (m) => (m.spec.platforms[0].selector.matchLabels.distro = 'debian'), /only os and arch/],
    ['bare binary uri', (m) => (m.spec.platforms[0].uri = 'https://x/kubectl-sts_lab'), /\.tar\.gz or \.zip/],
    ['windows bin', (m) => (m.spec.platforms[1].bin = 'kubectl-sts_lab'), /\.exe on Windows/],
    ['long short description', (m) => (m.spec.shortDescription = 'x'.repeat(51)), /at most 50/],
    ['overlap', (m) => m.spec.platforms.push(structuredClone(m.spec.platforms[0])), /overlaps/],
    ['empty selector', (m) => (m.spec.platforms[0].selector = {}), /selector must not be empty/],
  ];
  for (const [what, breakIt, expected] of cases) {
    const m = good();
    breakIt(m);
    assert.match(krewProblems(m, 'sts-lab.yaml').join('\n'), expected, what);
  }
  assert.match(krewProblems(good(), 'other.yaml').join('\n'), /must be sts-lab\.yaml/);
});
