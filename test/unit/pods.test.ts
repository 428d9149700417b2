import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ordinalOf, podDnsName, claimName, serviceDnsName } from '../../src/lab/names.ts';
import { isReady, readySince, stageOf, type PodLike } from '../../src/lab/pods.ts';
import { podRows } from '../../src/lab/pod-rows.ts';
import { podCells } from '../../src/ui/cells.ts';

const names = { namespace: 'scenarios', statefulSet: 'nginx-sts', service: 'nginx-headless' };

const pod = (over: PodLike['status'], meta: PodLike['metadata'] = {}): PodLike => ({
  metadata: { name: 'nginx-sts-0', uid: 'u0', ...meta },
  spec: { nodeName: 'vm' },
  status: over,
});

test('names follow the StatefulSet rules', () => {
  assert.equal(claimName(names, 2), 'data-nginx-sts-2');
  assert.equal(podDnsName(names, 1), 'nginx-sts-1.nginx-headless.scenarios.svc.cluster.local');
  assert.equal(serviceDnsName(names), 'nginx-headless.scenarios.svc.cluster.local');
  assert.equal(ordinalOf(names, 'nginx-sts-12'), 12);
  for (const other of ['nginx-sts-01', 'nginx-sts-x', 'other-0', 'nginx-sts-'])
    assert.equal(ordinalOf(names, other), undefined, other);
});

test('stages: Pending → ContainerCreating → Running → Ready, and Terminating wins', () => {
  assert.equal(stageOf(pod({ phase: 'Pending' })), 'Pending');
  assert.equal(
    stageOf(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] })),
    'ContainerCreating',
  );
  assert.equal(
    stageOf(
      pod({
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True' }],
        containerStatuses: [{ state: { waiting: { reason: 'ErrImagePull' } } }],
      }),
    ),
    'Pending',
  );
  assert.equal(stageOf(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] })), 'Running');
  const ready = pod({
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-23T10:00:00Z' }],
  });
  assert.equal(stageOf(ready), 'Ready');
  assert.ok(isReady(ready));
  assert.equal(readySince(ready)?.toISOString(), '2026-11-23T10:00:00.000Z');
  const dying = pod(ready.status, { deletionTimestamp: '2026-11-23T10:01:00Z' });
  assert.equal(stageOf(dying), 'Terminating');
  assert.equal(isReady(dying), false, 'a terminating pod is not counted as Ready');
});

test('pod rows: one per wanted ordinal, with claim, volume and where the volume may run', () => {
  const pods = new Map([
    [0, { ...pod({ phase: 'Running', podIP: '10.244.0.2', conditions: [{ type: 'Ready', status: 'True' }] }) }],
  ]);
  const claims = [{ metadata: { name: 'data-nginx-sts-0' }, spec: { volumeName: 'pv-a' }, status: { phase: 'Bound' } }];
  const rows = podRows(names, [0, 1], pods, claims, new Map([['pv-a', ['vm']]]));
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0]!.volumeNodes, ['vm']);
  assert.equal(podRows(names, [0], pods, claims)[0]!.volumeNodes, null, 'not read: unknown');
  assert.deepEqual(podCells(rows[0]!), [
    '0',
    'nginx-sts-0',
    'Ready',
    'true',
    '10.244.0.2',
    'vm',
    'data-nginx-sts-0',
    'Bound',
    'pv-a',
    'vm',
  ]);
  assert.deepEqual(podCells(rows[1]!), [
    '1',
    'nginx-sts-1',
    'Absent',
    'false',
    '<none>',
    '<none>',
    'data-nginx-sts-1',
    '<none>',
    '<none>',
    '<none>',
  ]);
});
