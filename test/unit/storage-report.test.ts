import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storageReport, type StorageInput } from '../../src/lab/storage-report.ts';

const names = { namespace: 'scenarios', statefulSet: 'nginx-sts', service: 'nginx-headless' };
const pinnedTo = (node: string) => ({
  spec: {
    accessModes: ['ReadWriteOnce'],
    nodeAffinity: {
      required: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }],
      },
    },
  },
});
const node = (name: string, zone: string, ready = true, unschedulable = false) => ({
  metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } },
  spec: { unschedulable },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }] },
});
const claim = (ordinal: number, created: string) => ({
  metadata: { name: `data-nginx-sts-${ordinal}`, creationTimestamp: created },
  spec: { volumeName: `pv-${ordinal}`, storageClassName: 'standard' },
  status: { phase: 'Bound' },
});

const input = (over: Partial<StorageInput> = {}): StorageInput => ({
  names,
  classes: [
    { metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
  ],
  nodes: [node('a', 'z1'), node('b', 'z1')],
  statefulSet: { metadata: { name: 'nginx-sts', creationTimestamp: '2026-12-02T10:00:00Z' } },
  pods: [
    { metadata: { name: 'nginx-sts-0' }, spec: { nodeName: 'a' } },
    { metadata: { name: 'nginx-sts-1' }, spec: { nodeName: 'b' } },
  ],
  claims: [claim(1, '2026-12-02T10:00:05Z'), claim(0, '2026-12-02T10:00:01Z'), { metadata: { name: 'data-other-0' } }],
  volumes: new Map([
    ['pv-0', pinnedTo('a')],
    ['pv-1', pinnedTo('b')],
  ]),
  attachments: [{ metadata: { name: 'csi-1' }, spec: { nodeName: 'b', source: { persistentVolumeName: 'pv-1' } } }],
  ...over,
});

test('one row per lab claim in ordinal order, with its pod, node, zone, volume pin and attachment', () => {
  const r = storageReport(input());
  assert.deepEqual(
    r.volumes.map((v) => [
      v.pod,
      v.node,
      v.zone,
      v.pvc,
      v.pv,
      v.volumeNodes,
      v.accessModes,
      v.attachment?.name ?? null,
    ]),
    [
      ['nginx-sts-0', 'a', 'z1', 'data-nginx-sts-0', 'pv-0', ['a'], ['ReadWriteOnce'], null],
      ['nginx-sts-1', 'b', 'z1', 'data-nginx-sts-1', 'pv-1', ['b'], ['ReadWriteOnce'], 'csi-1'],
    ],
  );
  assert.equal(r.volumes[1]!.attachment!.attached, false);
  assert.deepEqual(r.classes![0], {
    name: 'standard',
    provisioner: 'rancher.io/local-path',
    volumeBindingMode: 'WaitForFirstConsumer',
    reclaimPolicy: 'Delete',
    allowVolumeExpansion: false,
    allowedTopologies: [],
    isDefault: false,
  });
  assert.deepEqual(r.warnings, []);
});

test('Immediate binding warns only where the nodes span several zones', () => {
  const immediate = [{ metadata: { name: 'fast' }, provisioner: 'x', volumeBindingMode: 'Immediate' }];
  assert.deepEqual(storageReport(input({ classes: immediate })).warnings, []);
  const [w] = storageReport(input({ classes: immediate, nodes: [node('a', 'z1'), node('b', 'z2')] })).warnings;
  assert.match(w!, /^StorageClass fast binds Immediate on a cluster with 2 zones/);
});

test('a volume pinned to a cordoned or NotReady node is named with the pod it strands', () => {
  const r = storageReport(input({ nodes: [node('a', 'z1', false, true), node('b', 'z1')] }));
  assert.deepEqual(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /volume of nginx-sts-0 \(pv-0\) is pinned to node a, which is NotReady and cordoned/);
});

test('a claim older than the StatefulSet was kept from an earlier lab and pins its pod', () => {
  const r = storageReport(input({ claims: [claim(0, '2026-12-01T09:00:00Z'), claim(1, '2026-12-02T10:00:05Z')] }));
  assert.deepEqual(r.warnings.length, 1);
  assert.match(
    r.warnings[0]!,
    /^claim data-nginx-sts-0 was kept from an earlier lab .* pinned to a: nginx-sts-0 must run there/,
  );
});

test('without cluster-wide rights classes and nodes are null, and the pins still come from the volumes', () => {
  const r = storageReport(input({ classes: undefined, nodes: undefined, attachments: undefined }));
  assert.equal(r.classes, null);
  assert.equal(r.nodes, null);
  assert.deepEqual(
    r.volumes.map((v) => [v.volumeNodes, v.zone, v.attachment]),
    [
      [['a'], null, null],
      [['b'], null, null],
    ],
  );
});
