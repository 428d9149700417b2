import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration } from '../../src/lab/duration.ts';
import { dnsLabel, image, quantity, replicaCount, statefulSetName } from '../../src/lab/validate.ts';

test('replica counts: whole numbers from 0 to 100 only', () => {
  assert.equal(replicaCount('--replicas', '3'), 3);
  assert.equal(replicaCount('--replicas', 0), 0);
  for (const bad of ['-1', 'abc', '1e9', '2.5', '', '101', '1000000000']) {
    assert.throws(() => replicaCount('--replicas', bad), /invalid --replicas/, bad);
  }
});

test('namespaces and names must be RFC 1123 labels', () => {
  assert.equal(dnsLabel('namespace', 'scenarios'), 'scenarios');
  assert.throws(() => dnsLabel('namespace', 'Bad_NS'), /invalid namespace "Bad_NS"/);
  assert.throws(() => dnsLabel('namespace', '-x'), /RFC 1123/);
  assert.throws(() => dnsLabel('namespace', 'a'.repeat(64)), /63/);
  assert.equal(statefulSetName('web'), 'web');
  assert.throws(() => statefulSetName('a'.repeat(53)), /52 characters/);
});

test('quantities and images', () => {
  assert.equal(quantity('--storage-size', '500Mi'), '500Mi');
  assert.throws(() => quantity('--storage-size', '1 GB'), /quantity/);
  assert.equal(image('nginx:1.27'), 'nginx:1.27');
  assert.throws(() => image('has space'), /invalid --image/);
});

test('durations: kubectl style, bare seconds, and rejects junk', () => {
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('12'), 12_000);
  assert.equal(parseDuration('0'), 0);
  for (const bad of ['5x', 'm5', '', '1h junk']) assert.throws(() => parseDuration(bad), /invalid duration/, bad);
  assert.equal(formatDuration(4200), '4.2s');
  assert.equal(formatDuration(125_000), '2m5s');
  assert.equal(formatDuration(12), '12ms');
});
