import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adoptionVerdict, isOrphan, orphanRows, orphanVerdict } from '../../../../src/lessons/orphan/judge.ts';

const owned = (uid: string, owner?: string, ready = true) => ({
  metadata: {
    uid,
    ...(owner ? { ownerReferences: [{ kind: 'StatefulSet', name: 'web', uid: owner, controller: true }] } : {}),
  },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('orphaned pods keep UID and readiness and lose their owner; a re-created orphan or a kept owner fails', () => {
  const before = new Map([
    ['web-0', owned('a', 's1')],
    ['web-1', owned('b', 's1')],
  ]);
  const ok = orphanVerdict(
    orphanRows(
      before,
      new Map([
        ['web-0', owned('a')],
        ['web-1', owned('b')],
      ]),
    ),
    null,
  );
  assert.equal(ok.result, 'PASS');
  const stillOwned = orphanVerdict(
    orphanRows(
      before,
      new Map([
        ['web-0', owned('a', 's1')],
        ['web-1', owned('b')],
      ]),
    ),
    null,
  );
  assert.match(stillOwned.why.join('\n'), /web-0: still owned by StatefulSet\/web/);
  const recreated = orphanVerdict(orphanRows(before, new Map([['web-0', owned('a')]])), {
    pod: 'web-1',
    recreated: true,
    windowMs: 10_000,
  });
  assert.equal(recreated.result, 'FAIL');
  assert.equal(isOrphan(owned('a')), true);
});

test('adoption, from the watch: the same UID seen with the new StatefulSet as controller; a replaced pod is no adoption', () => {
  const orphans = new Map([['web-0', owned('a')]]);
  const seen = (...pods: ReturnType<typeof owned>[]) => pods.map((pod) => ({ pod }));
  const now = new Map([['web-0', owned('a', 's2')]]);
  assert.equal(adoptionVerdict(orphans, seen(owned('a'), owned('a', 's2')), now, 's2').verdict.result, 'PASS');
  assert.equal(
    adoptionVerdict(orphans, seen(owned('a', 's1')), new Map([['web-0', owned('a', 's1')]]), 's2').verdict.result,
    'FAIL',
    'owned by another StatefulSet',
  );
  const replaced = adoptionVerdict(
    orphans,
    seen(owned('a'), owned('z', 's2')),
    new Map([['web-0', owned('z', 's2')]]),
    's2',
  );
  assert.equal(replaced.verdict.result, 'FAIL');
  assert.match(replaced.verdict.why.join('\n'), /web-0 was not adopted with its UID a/);
});

test('adopted, then rolled onto the new template: still an adoption, and the why says what followed', () => {
  const orphans = new Map([['web-0', owned('a')]]);
  const v = adoptionVerdict(
    orphans,
    [{ pod: owned('a', 's2') }, { pod: owned('z', 's2') }],
    new Map([['web-0', owned('z', 's2')]]),
    's2',
  ).verdict;
  assert.equal(v.result, 'PASS');
  assert.match(v.why.join('\n'), /Then web-0 was replaced: adopted pods keep their old template/);
});
