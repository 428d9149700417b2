import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxUnavailableGate, maxUnavailableGateText, minorOf } from '../../src/lab/server-version.ts';

test('the minor of a gitVersion, distribution suffixes and all; nothing from a string that is no 1.x version', () => {
  assert.equal(minorOf('v1.37.2'), 37);
  assert.equal(minorOf('v1.36.3+k3s1'), 36);
  assert.equal(minorOf('v1.34.4-eks-a1b2c3'), 34);
  assert.equal(minorOf('1.35.0'), 35);
  for (const odd of [undefined, '', 'unknown', 'v2.0.0', 'v1.x']) assert.equal(minorOf(odd), undefined, String(odd));
});

test('MaxUnavailableStatefulSet by version: alpha and off to 1.34, beta but off in 1.35 and 1.36, on from 1.37', () => {
  const byMinor = Object.fromEntries([23, 24, 33, 34, 35, 36, 37, 38].map((m) => [m, maxUnavailableGate(m)]));
  assert.deepEqual(byMinor, {
    23: { stage: 'absent', onByDefault: false },
    24: { stage: 'alpha', onByDefault: false },
    33: { stage: 'alpha', onByDefault: false },
    34: { stage: 'alpha', onByDefault: false },
    35: { stage: 'beta', onByDefault: false },
    36: { stage: 'beta', onByDefault: false },
    37: { stage: 'beta', onByDefault: true },
    38: { stage: 'beta', onByDefault: true },
  });
});

test('the gate in words, for the server at hand: never "on from 1.35"', () => {
  const text = (v: string) => maxUnavailableGateText(v);
  assert.equal(text('v1.33.6'), 'on v1.33.6 it is alpha and off by default (beta from 1.35, on by default from 1.37)');
  assert.equal(text('v1.34.4'), 'on v1.34.4 it is alpha and off by default (beta from 1.35, on by default from 1.37)');
  assert.equal(text('v1.35.4'), 'on v1.35.4 it is beta but off by default (on by default from 1.37)');
  assert.equal(text('v1.36.3'), 'on v1.36.3 it is beta but off by default (on by default from 1.37)');
  assert.equal(text('v1.37.2'), 'on v1.37.2 it is beta and on by default, so this API server runs with it turned off');
  assert.equal(text('v1.38.0'), 'on v1.38.0 it is beta and on by default, so this API server runs with it turned off');
  assert.equal(text('v1.22.17'), 'v1.22.17 does not have it (it came in 1.24, alpha and off by default)');
  assert.equal(
    text('unknown'),
    'it is alpha and off by default up to Kubernetes 1.34, beta but off in 1.35 and 1.36, and on by default from 1.37',
  );
});
