import assert from 'node:assert/strict';
import { test } from 'node:test';
import { volumeNodes } from '../../src/lab/volumes.ts';

const pinned = (key: string, operator: string, values: string[]) => ({
  spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator, values }] }] } } },
});

test('a local-path volume is pinned to its hostname', () => {
  assert.deepEqual(volumeNodes(pinned('kubernetes.io/hostname', 'In', ['node-b'])), ['node-b']);
});

test('a volume without node affinity may be used anywhere', () => {
  assert.deepEqual(volumeNodes({ spec: {} }), []);
});

test('zone affinity does not pin to a node', () => {
  assert.deepEqual(volumeNodes(pinned('topology.kubernetes.io/zone', 'In', ['eu-1a'])), []);
});

test('NotIn is not a pin', () => {
  assert.deepEqual(volumeNodes(pinned('kubernetes.io/hostname', 'NotIn', ['node-a'])), []);
});

test('a volume that could not be read is unknown, not unpinned', () => {
  assert.equal(volumeNodes(undefined), null);
});

test('terms are merged and sorted', () => {
  const pv = {
    spec: {
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n3'] }] },
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1', 'n3'] }] },
          ],
        },
      },
    },
  };
  assert.deepEqual(volumeNodes(pv), ['n1', 'n3']);
});
