import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labOrdinals, ordinalSpan, startOrdinal } from '../../../../src/lab/ordinals.ts';
import type { PodRow } from '../../../../src/lab/pod-rows.ts';
import { startOrdinalVerdict, type StartOrdinalInput } from '../../../../src/lessons/start-ordinal/judge.ts';
import { startOrdinal as startOrdinalFlag } from '../../../../src/lab/validate.ts';

const names = { namespace: 'lab', statefulSet: 'nginx-sts', service: 'nginx-headless' };
const row = (ordinal: number, over: Partial<PodRow> = {}): PodRow => ({
  ordinal,
  pod: `nginx-sts-${ordinal}`,
  uid: `u${ordinal}`,
  phase: 'Ready',
  ready: true,
  ip: '10.0.0.1',
  node: 'n',
  dns: '',
  pvc: `data-nginx-sts-${ordinal}`,
  pvcStatus: 'Bound',
  pv: `pv-${ordinal}`,
  volumeNodes: [],
  ...over,
});
const input = (over: Partial<StartOrdinalInput> = {}): StartOrdinalInput => ({
  names,
  requested: 5,
  onServer: 5,
  serverVersion: 'v1.34.4',
  wanted: [5, 6, 7],
  pods: [5, 6, 7].map((o) => row(o)),
  podIndex: (o) => String(o),
  ...over,
});

test('the ordinals a spec asks for: from spec.ordinals.start, 0 when unset', () => {
  assert.deepEqual(labOrdinals({ spec: { replicas: 3, ordinals: { start: 5 } } }), [5, 6, 7]);
  assert.deepEqual(labOrdinals({ spec: { replicas: 2 } }), [0, 1]);
  assert.equal(startOrdinal({ spec: {} }), 0);
  assert.equal(ordinalSpan([5, 6, 7]), '5..7');
  assert.equal(ordinalSpan([4]), '4');
  assert.equal(ordinalSpan([]), 'none');
});

test('--start-ordinal: a whole number whose last ordinal fits an int32', () => {
  assert.equal(startOrdinalFlag('5', 3), 5);
  assert.equal(startOrdinalFlag('0', 0), 0);
  for (const bad of ['-1', 'x', '1.5', '']) assert.throws(() => startOrdinalFlag(bad, 3), /invalid --start-ordinal/);
  assert.throws(() => startOrdinalFlag(String(2 ** 31 - 2), 3), /below 2\^31/);
});

test('kept and acted on: PASS, one check per pod, from the pods and claims the cluster shows', () => {
  const v = startOrdinalVerdict(input())!;
  assert.equal(v.result, 'PASS', v.why.join('\n'));
  assert.equal(v.headline, 'Ordinals start at 5: pods nginx-sts-5..7, each on its own claim');
  assert.deepEqual(
    v.checks.map((c) => c.ordinal),
    [5, 6, 7],
  );
  assert.match(
    v.checks[0]!.detail,
    /nginx-sts-5 Ready on claim data-nginx-sts-5, labelled apps\.kubernetes\.io\/pod-index=5/,
  );
});

test('each piece of evidence can fail: a missing pod, a wrong index label, a claim not Bound, a pod left outside', () => {
  const missing = startOrdinalVerdict(input({ pods: [row(5), row(6)] }))!;
  assert.equal(missing.result, 'FAIL');
  assert.match(missing.why.join('\n'), /nginx-sts-7: no pod, claim data-nginx-sts-7 is missing/);
  assert.match(
    startOrdinalVerdict(input({ podIndex: () => '0' }))!.why.join('\n'),
    /label apps\.kubernetes\.io\/pod-index=0/,
  );
  assert.equal(
    startOrdinalVerdict(input({ pods: [row(5), row(6), row(7, { pvcStatus: 'Pending' })] }))!.result,
    'FAIL',
  );
  const stray = startOrdinalVerdict(input({ pods: [row(0), ...[5, 6, 7].map((o) => row(o))] }))!;
  assert.equal(stray.result, 'FAIL');
  assert.match(stray.why.join('\n'), /nginx-sts-0 is outside ordinals 5\.\.7 and still exists/);
});

test('a server that dropped spec.ordinals: N/A naming its version; nothing asked, nothing judged', () => {
  const dropped = startOrdinalVerdict(input({ onServer: 0, wanted: [0, 1, 2], pods: [0, 1, 2].map((o) => row(o)) }))!;
  assert.equal(dropped.result, 'N/A');
  assert.match(
    dropped.headline,
    /--start-ordinal 5 not judged: the API server \(v1\.34\.4\) dropped spec\.ordinals\.start, so the pods are numbered from 0/,
  );
  assert.equal(startOrdinalVerdict(input({ requested: 0, onServer: 0 })), null);
});
