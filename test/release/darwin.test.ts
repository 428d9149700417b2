// The macOS executables, checked as macOS's loader would check their ad-hoc signatures
// (no Mac ran them here): every page hash recomputed, the signature aligned and last in
// __LINKEDIT, the application and its fuse inside what is signed. A flipped byte must fail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { checkAdHocSignature } from './macho.ts';

const RELEASE = join(resolve(import.meta.dirname, '..', '..'), 'release');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

for (const arch of ['amd64', 'arm64']) {
  test(`darwin-${arch}: the archive's executable carries a valid ad-hoc signature, and a flipped byte breaks it`, () => {
    const dir = mkdtempSync(join(tmpdir(), `sts-lab-darwin-${arch}-`));
    execFileSync('tar', ['-xzf', join(RELEASE, `kubectl-sts_lab-darwin-${arch}.tar.gz`), '-C', dir]);
    assert.deepEqual(execFileSync('ls', [dir], { encoding: 'utf8' }).trim().split('\n').sort(), [
      'LICENSE',
      'kubectl-sts_lab',
      'kubectl_complete-sts_lab',
    ]);
    const exe = readFileSync(join(dir, 'kubectl-sts_lab'));
    const cpu = exe.readUInt32LE(4);
    assert.equal(cpu, arch === 'amd64' ? 0x01000007 : 0x0100000c, 'CPU type of the Mach-O header');
    const report = checkAdHocSignature(exe, FUSE);
    assert.deepEqual(report.problems, []);
    assert.equal(report.identifier, 'kubectl-sts_lab');
    assert.equal(report.codeLimit, report.signatureOffset);
    assert.equal(report.signatureOffset % 16, 0);
    assert.ok(report.pages > 30_000, `${report.pages} pages hashed`);
    assert.ok(exe.includes('Walks you through a StatefulSet lab'), 'the CLI bundle is inside');
    const broken = Buffer.from(exe);
    const middle = report.codeLimit >> 1;
    broken[middle] = broken[middle]! ^ 0x01;
    assert.match(
      checkAdHocSignature(broken, FUSE).problems.join('\n'),
      /^page \d+ \(offset \d+\) does not match its hash$/m,
    );
  });
}
