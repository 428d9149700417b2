import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimsOwnedBy, ownedClaimsVerdict } from '../../../../src/lessons/retention/judge.ts';

const claim = (name: string, owner?: string) => ({
  metadata: { name, ...(owner ? { ownerReferences: [{ kind: 'StatefulSet', name: 'web', uid: owner }] } : {}) },
});

test('claims owned by the StatefulSet (by UID), and a verdict that fails for an unowned claim or one that stayed', () => {
  const owned = claimsOwnedBy([claim('data-web-0', 's1'), claim('data-web-1', 'other'), claim('data-web-2')], 's1');
  assert.deepEqual(owned, [{ pvc: 'data-web-0', owner: 'StatefulSet/web' }]);
  const gone = (pvc: string) => ({ pvc, owner: 'StatefulSet/web', goneAt: '2026-12-01T10:00:00.000Z' });
  assert.equal(ownedClaimsVerdict(['data-web-0'], [gone('data-web-0')]).result, 'PASS');
  const unowned = ownedClaimsVerdict(['data-web-0', 'data-web-1'], [gone('data-web-0')]);
  assert.match(unowned.why.join('\n'), /data-web-1: no ownerReference to the StatefulSet/);
  assert.equal(
    ownedClaimsVerdict(['data-web-0'], [{ pvc: 'data-web-0', owner: 'StatefulSet/web', goneAt: null }]).result,
    'FAIL',
  );
  assert.equal(ownedClaimsVerdict([], []).result, 'FAIL', 'no claims seen proves nothing');
});
