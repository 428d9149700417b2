// verify LESSON's judges, each from objects as the API returns them: every one can fail, and
// what the objects cannot prove is N/A, not PASS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_NAMES } from '../../../src/lab/names.ts';
import type { V1PersistentVolumeClaim, V1Pod, V1StatefulSet } from '../../../src/k8s/index.ts';
import { orderingNow } from '../../../src/lessons/ordering/verify.ts';
import { namesNow, recreatedNow } from '../../../src/lessons/identity/verify.ts';
import { claimsNow, dataNow } from '../../../src/lessons/storage/verify.ts';
import { revisionsNow } from '../../../src/lessons/updates/verify.ts';
import { ownersNow, scaledClaimsNow } from '../../../src/lessons/retention/verify.ts';
import { scalingNow } from '../../../src/lessons/scaling/verify.ts';
import type { PersistenceRow } from '../../../src/lessons/storage/judge.ts';

const names = { ...DEFAULT_NAMES };
const at = (s: number) => new Date(Date.UTC(2026, 11, 4, 10, 0, s));

function pod(i: number, o: { created?: number; ready?: number | null; revision?: string; claim?: string } = {}): V1Pod {
  const name = `nginx-sts-${i}`;
  return {
    metadata: {
      name,
      uid: `uid-${i}`,
      creationTimestamp: at(o.created ?? i * 10),
      labels: { 'controller-revision-hash': o.revision ?? 'nginx-sts-aaa' },
    },
    spec: {
      containers: [],
      hostname: name,
      subdomain: 'nginx-headless',
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: o.claim ?? `data-${name}` } }],
    },
    status: {
      conditions:
        o.ready === null
          ? [{ type: 'Ready', status: 'False' }]
          : [{ type: 'Ready', status: 'True', lastTransitionTime: at(o.ready ?? i * 10 + 5) }],
    },
  };
}

function sts(spec: Partial<NonNullable<V1StatefulSet['spec']>> = {}, status = {}): V1StatefulSet {
  return {
    metadata: { name: 'nginx-sts', uid: 'sts-uid' },
    spec: { replicas: 3, serviceName: 'nginx-headless', selector: {}, template: {}, ...spec },
    status: { replicas: 3, currentRevision: 'nginx-sts-aaa', updateRevision: 'nginx-sts-aaa', ...status },
  };
}

const claim = (name: string, o: { pv?: string; phase?: string; owned?: boolean } = {}): V1PersistentVolumeClaim => ({
  metadata: {
    name,
    ...(o.owned
      ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'nginx-sts', uid: 'sts-uid' }] }
      : {}),
  },
  spec: { volumeName: o.pv ?? `pv-${name}` },
  status: { phase: o.phase ?? 'Bound' },
});
const threeClaims = (o: { owned?: boolean } = {}) => [0, 1, 2].map((i) => claim(`data-nginx-sts-${i}`, o));
const threePods = () => [0, 1, 2].map((i) => pod(i));

test('ordering: created a later second than the one before turned Ready is PASS; the same second only a watch can tell', () => {
  const now = { names, sts: sts(), pods: threePods() };
  assert.deepEqual(
    orderingNow(now).map((v) => v.result),
    ['PASS', 'PASS'],
  );
  const sameSecond = orderingNow({ ...now, pods: [pod(0, { ready: 9 }), pod(1, { created: 9 }), pod(2)] });
  assert.deepEqual(
    sameSecond.map((v) => v.result),
    ['PASS', 'N/A'],
  );
  assert.match(sameSecond[1]!.why.join('\n'), /^nginx-sts-1: created in the same second the pod before turned Ready/);
  assert.match(sameSecond[1]!.why.join('\n'), /tour --hands-on/);
  const unready = orderingNow({ ...now, pods: [pod(0), pod(1, { ready: null }), pod(2)] });
  assert.equal(unready[0]!.result, 'FAIL');
  assert.match(unready[0]!.why.join('\n'), /not Ready \(or missing\): nginx-sts-1/);
  assert.equal(
    orderingNow({ ...now, pods: [...threePods(), pod(3)] })[0]!.result,
    'FAIL',
    'a pod outside the replicas',
  );
  assert.equal(orderingNow({ ...now, sts: sts({ podManagementPolicy: 'Parallel' }) })[1]!.result, 'N/A');
});

test('identity: hostname and subdomain per pod, and a re-created pod with the same claim and volume', () => {
  const now = { names, sts: sts(), pods: threePods() };
  assert.equal(namesNow(now).result, 'PASS');
  const renamed = threePods();
  renamed[2]!.spec!.hostname = 'other';
  renamed[1]!.spec!.subdomain = undefined;
  const broken = namesNow({ ...now, pods: renamed });
  assert.equal(broken.result, 'FAIL');
  assert.deepEqual(broken.why, ['nginx-sts-1: subdomain <none>, not nginx-headless', 'nginx-sts-2: hostname other']);
  assert.equal(namesNow({ ...now, pods: threePods().slice(0, 2) }).why[0], 'nginx-sts-2: no pod');

  const row = (o: Partial<PersistenceRow>): PersistenceRow => ({
    ordinal: 1,
    pod: 'nginx-sts-1',
    uidAtWrite: 'aaaaaaaa-1',
    uidNow: 'aaaaaaaa-1',
    podRecreated: false,
    pvcSame: true,
    pvSame: true,
    contentMatch: true,
    ok: true,
    reason: '',
    ...o,
  });
  assert.equal(recreatedNow(names, undefined).result, 'FAIL', 'nothing written, nothing to compare');
  const notDeleted = recreatedNow(names, [row({})]);
  assert.equal(notDeleted.result, 'FAIL');
  assert.match(notDeleted.why[0]!, /kubectl -n scenarios delete pod nginx-sts-1/);
  const back = recreatedNow(names, [row({ podRecreated: true, uidNow: 'bbbbbbbb-1' })]);
  assert.equal(back.result, 'PASS');
  assert.deepEqual(back.why, ['nginx-sts-1: uid aaaaaaaa → bbbbbbbb, claim the same, volume the same']);
  assert.equal(recreatedNow(names, [row({ podRecreated: true, uidNow: 'b', pvSame: false })]).result, 'FAIL');
});

test('storage: each pod mounts its own Bound claim, no two share a volume; the data as check-persistence judges it', () => {
  const now = { names, sts: sts(), pods: threePods(), claims: threeClaims() };
  assert.equal(claimsNow(now).result, 'PASS');
  const shared = claimsNow({
    ...now,
    claims: [
      claim('data-nginx-sts-0', { pv: 'pv-x' }),
      claim('data-nginx-sts-1', { pv: 'pv-x' }),
      claim('data-nginx-sts-2'),
    ],
  });
  assert.deepEqual(shared.why, ['data-nginx-sts-0 and data-nginx-sts-1 share volume pv-x']);
  const pending = claimsNow({
    ...now,
    claims: [...threeClaims().slice(0, 2), claim('data-nginx-sts-2', { phase: 'Pending' })],
  });
  assert.deepEqual(pending.why, ['data-nginx-sts-2: Pending, not Bound']);
  const other = claimsNow({ ...now, pods: [pod(0), pod(1, { claim: 'mine' }), pod(2)] });
  assert.deepEqual(other.why, ['nginx-sts-1: mounts mine, not data-nginx-sts-1']);
  assert.equal(dataNow(undefined).result, 'FAIL');
});

test('updates: pods at or above the partition on the update revision, below it on the current one', () => {
  const rolled = { currentRevision: 'nginx-sts-aaa', updateRevision: 'nginx-sts-bbb' };
  const pods = [pod(0), pod(1), pod(2, { revision: 'nginx-sts-bbb' })];
  const held = revisionsNow({
    names,
    sts: sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, rolled),
    pods,
  });
  assert.equal(held.result, 'PASS');
  assert.match(
    held.headline,
    /Partition 2 held: nginx-sts-2 on update revision nginx-sts-bbb; nginx-sts-0, nginx-sts-1 on current/,
  );
  const rolling = revisionsNow({
    names,
    sts: sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, rolled),
    pods: [pod(0), pod(1), pod(2, { revision: 'nginx-sts-bbb', ready: null })],
  });
  assert.equal(rolling.result, 'FAIL', 'a roll-out still in progress is not verified');
  assert.match(rolling.why.join('\n'), /nginx-sts-2: on nginx-sts-bbb as expected, but not Ready/);
  const unpartitioned = revisionsNow({ names, sts: sts({}, rolled), pods });
  assert.equal(unpartitioned.result, 'FAIL', 'partition 0 wants every pod on the update revision');
  assert.match(unpartitioned.why.join('\n'), /nginx-sts-0: on nginx-sts-aaa, expected nginx-sts-bbb/);
  const started = revisionsNow({
    names,
    sts: sts(
      { ordinals: { start: 1 }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } },
      rolled,
    ),
    pods: [pod(1), pod(2, { revision: 'nginx-sts-bbb' }), pod(3, { revision: 'nginx-sts-bbb' })],
  });
  assert.equal(started.result, 'PASS', 'the partition counts from the start ordinal');
  assert.equal(revisionsNow({ names, sts: sts({ updateStrategy: { type: 'OnDelete' } }, rolled), pods }).result, 'N/A');
});

test('retention: the claims’ owners follow whenDeleted; whenScaled Retain keeps the claims above the replicas', () => {
  const now = { names, sts: sts(), claims: threeClaims() };
  assert.equal(ownersNow(now).result, 'PASS', 'Retain (the default): no claim owned');
  const deleteSts = sts({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } });
  assert.equal(ownersNow({ ...now, sts: deleteSts }).result, 'FAIL', 'Delete, yet no claim owned');
  assert.equal(ownersNow({ ...now, sts: deleteSts, claims: threeClaims({ owned: true }) }).result, 'PASS');

  const two = sts({ replicas: 2 });
  assert.equal(scaledClaimsNow({ ...now, sts: two }).result, 'PASS');
  assert.match(scaledClaimsNow({ ...now, sts: two }).headline, /data-nginx-sts-2 kept and Bound/);
  assert.equal(scaledClaimsNow(now).result, 'FAIL', 'never scaled down: nothing shows Retain');
  const released = [...threeClaims().slice(0, 2), claim('data-nginx-sts-2', { phase: 'Lost' })];
  assert.equal(scaledClaimsNow({ ...now, sts: two, claims: released }).result, 'FAIL');
  const scaledDelete = sts({ replicas: 2, persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete' } });
  assert.equal(scaledClaimsNow({ ...now, sts: scaledDelete }).result, 'FAIL', 'a claim outlived its pod');
  assert.equal(scaledClaimsNow({ ...now, sts: scaledDelete, claims: threeClaims().slice(0, 2) }).result, 'N/A');
});

test('scaling: the pods are the replicas, a scale-down kept its claims, and the order is for a watch', () => {
  const now = { names, sts: sts({ replicas: 2 }), pods: threePods().slice(0, 2), claims: threeClaims() };
  assert.deepEqual(
    scalingNow(now).map((v) => v.result),
    ['PASS', 'PASS', 'N/A'],
  );
  assert.equal(scalingNow({ ...now, pods: threePods() })[0]!.result, 'FAIL', 'nginx-sts-2 still runs');
});
