import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atMostOne, compareIdentity, identityOf, type Identity } from '../../../../src/lessons/identity/judge.ts';

const pod = (uid: string, claim = 'data-nginx-sts-1') => ({
  metadata: {
    name: 'nginx-sts-1',
    uid,
    labels: { 'apps.kubernetes.io/pod-index': '1' },
    ownerReferences: [{ kind: 'StatefulSet', name: 'nginx-sts', controller: true }],
  },
  spec: {
    nodeName: 'vm',
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }, { name: 'kube-api-access' }],
  },
  status: { podIP: '10.0.0.1' },
});

test('identity is read from the pod object: owner, pod-index label and the claim its volume names', () => {
  const id = identityOf(pod('a'), 'nginx-sts-1', 'pv-1');
  assert.deepEqual(id, {
    name: 'nginx-sts-1',
    uid: 'a',
    owner: 'StatefulSet/nginx-sts',
    podIndex: '1',
    hostname: 'nginx-sts-1',
    ip: '10.0.0.1',
    node: 'vm',
    pvc: 'data-nginx-sts-1',
    pv: 'pv-1',
    volumeNode: 'unknown',
  });
  assert.equal(identityOf(pod('a'), 'nginx-sts-1', 'pv-1', ['node-b']).volumeNode, 'node-b');
  assert.equal(identityOf(pod('a'), 'nginx-sts-1', 'pv-1', []).volumeNode, 'any node');
  assert.equal(identityOf(pod('a'), 'nginx-sts-1', null, ['node-b']).volumeNode, null);
});

test('every "same" row can fail: another claim, a lost owner, fields missing on both sides', () => {
  const before = identityOf(pod('a'), 'nginx-sts-1', 'pv-1');
  const rows = (after: Identity) => Object.fromEntries(compareIdentity(before, after).map((r) => [r.field, r.ok]));
  assert.ok(Object.values(rows(identityOf(pod('b'), 'nginx-sts-1', 'pv-1'))).every(Boolean));
  assert.equal(rows(identityOf(pod('b', 'data-other'), 'nginx-sts-1', 'pv-1')).pvc, false);
  assert.equal(rows({ ...identityOf(pod('b'), 'nginx-sts-1', 'pv-1'), owner: null }).owner, false);
  assert.equal(rows(identityOf(pod('a'), 'nginx-sts-1', 'pv-1')).uid, false);
  const pinnedBefore = identityOf(pod('a'), 'nginx-sts-1', 'pv-1', ['node-a']);
  assert.equal(
    Object.fromEntries(
      compareIdentity(pinnedBefore, identityOf(pod('b'), 'nginx-sts-1', 'pv-1', ['node-b'])).map((r) => [
        r.field,
        r.ok,
      ]),
    )['volume node affinity'],
    false,
  );
  const blank: Identity = { ...before, pv: null };
  assert.equal(
    Object.fromEntries(compareIdentity(blank, { ...blank, uid: 'b' }).map((r) => [r.field, r.ok])).pv,
    false,
  );
});

test("at most one pod: the old pod's deletion must come before the new pod in the watch stream", () => {
  const ok = atMostOne(
    [
      { type: 'update', uid: 'old', at: 1100 },
      { type: 'delete', uid: 'old', at: 1400 },
      { type: 'add', uid: 'new', at: 1500 },
    ],
    'old',
    'new',
    1000,
  );
  assert.equal(ok.ok, true);
  assert.match(ok.before, /old gone at \+400ms/);
  const overlap = atMostOne(
    [
      { type: 'add', uid: 'new', at: 1300 },
      { type: 'delete', uid: 'old', at: 1400 },
    ],
    'old',
    'new',
    1000,
  );
  assert.equal(overlap.ok, false);
  assert.equal(
    atMostOne([{ type: 'add', uid: 'new', at: 1300 }], 'old', 'new', 1000).ok,
    false,
    'a deletion never seen proves nothing',
  );
});

test('the pod-index label may be absent on both sides (clusters before 1.28), but not on one', () => {
  const before = { ...identityOf(pod('a'), 'nginx-sts-1', 'pv-1'), podIndex: null };
  const field = (after: Identity) => compareIdentity(before, after).find((r) => r.field.includes('pod-index'))!.ok;
  assert.equal(field({ ...before, uid: 'b' }), true);
  assert.equal(field({ ...before, uid: 'b', podIndex: '2' }), false);
});
