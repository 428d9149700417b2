import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytesOf, dfKilobytes, expansionVerdict, grown } from '../../../../src/lessons/smoke/expansion.ts';

const GiB = 2 ** 30;
const evidence = { pvc: 'data-nginx-sts-0', from: '1Gi', to: '2Gi', resizedMs: 4000 };

test('quantities in bytes, and the request one Gi larger', () => {
  assert.equal(bytesOf('100Mi'), 100 * 2 ** 20);
  assert.equal(bytesOf('2G'), 2e9);
  assert.equal(bytesOf('1.5Gi'), 1.5 * GiB);
  assert.equal(bytesOf('lots'), undefined);
  assert.equal(grown('1Gi'), '2Gi');
  assert.equal(grown('100Mi'), '2Gi');
});

test("df -Pk's total blocks, or nothing from an answer it cannot read", () => {
  const out =
    'Filesystem     1024-blocks    Used Available Capacity Mounted on\n/dev/sdb1          2031440      24   1940000       1% /data\n';
  assert.equal(dfKilobytes(out), 2031440);
  assert.equal(dfKilobytes('df: /data: No such file or directory\n'), undefined);
});

test("PASS only when the pod's filesystem grew to about the new size and the claim says it", () => {
  const pass = expansionVerdict({
    ...evidence,
    capacity: '2Gi',
    filesystemBefore: 0.98 * GiB,
    filesystemAfter: 1.96 * GiB,
  });
  assert.equal(pass.result, 'PASS');
  assert.match(pass.headline, /grew from 0\.98 GiB to 1\.96 GiB/);
});

test('FAIL when the claim says the new size but the filesystem did not grow', () => {
  const v = expansionVerdict({
    ...evidence,
    capacity: '2Gi',
    filesystemBefore: 0.98 * GiB,
    filesystemAfter: 0.98 * GiB,
  });
  assert.equal(v.result, 'FAIL');
  assert.match(v.headline, /was not expanded to 2Gi inside the pod: its filesystem reports 0\.98 GiB/);
  assert.match(v.why[0]!, /NodeExpandVolume/);
});

test('FAIL when the filesystem grew but the claim never reported the capacity', () => {
  const v = expansionVerdict({
    ...evidence,
    capacity: '1Gi',
    filesystemBefore: 0.98 * GiB,
    filesystemAfter: 1.96 * GiB,
  });
  assert.equal(v.result, 'FAIL');
  assert.equal(
    expansionVerdict({ ...evidence, capacity: null, filesystemBefore: null, filesystemAfter: null }).result,
    'FAIL',
  );
});
