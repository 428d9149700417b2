import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adoptionVerdict, isOrphan, orphanRows, orphanVerdict } from '../../src/lab/orphan.ts';

const owned = (uid: string, owner?: string, ready = true) => ({
  metadata: { uid, ...(owner ? { ownerReferences: [{ kind: 'StatefulSet', name: 'web', uid: owner, controller: true }] } : {}) },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('orphaned pods keep UID and readiness and lose their owner; a re-created orphan or a kept owner fails', () => {
  const before = new Map([['web-0', owned('a', 's1')], ['web-1', owned('b', 's1')]]);
  const ok = orphanVerdict(orphanRows(before, new Map([['web-0', owned('a')], ['web-1', owned('b')]])), null);
  assert.equal(ok.result, 'PASS');
  const stillOwned = orphanVerdict(orphanRows(before, new Map([['web-0', owned('a', 's1')], ['web-1', owned('b')]])), null);
  assert.match(stillOwned.why.join('\n'), /web-0: still owned by StatefulSet\/web/);
  const recreated = orphanVerdict(orphanRows(before, new Map([['web-0', owned('a')]])), { pod: 'web-1', recreated: true, windowMs: 10_000 });
  assert.equal(recreated.result, 'FAIL');
  assert.equal(isOrphan(owned('a')), true);
});

test('adoption: same UID and the new StatefulSet as controller; a replaced pod is no adoption', () => {
  const orphans = new Map([['web-0', owned('a')]]);
  assert.equal(adoptionVerdict(orphans, new Map([['web-0', owned('a', 's2')]]), 's2').verdict.result, 'PASS');
  assert.equal(adoptionVerdict(orphans, new Map([['web-0', owned('a', 's1')]]), 's2').verdict.result, 'FAIL', 'owned by another StatefulSet');
  assert.match(adoptionVerdict(orphans, new Map([['web-0', owned('z', 's2')]]), 's2').verdict.why.join('\n'), /web-0 was replaced instead of adopted/);
});
