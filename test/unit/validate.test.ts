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
  for (const good of [
    'nginx',
    'nginx:1.27',
    'library/nginx:1.27-alpine',
    'localhost/sts-lab-nginx:1.0',
    'localhost:5000/a/b_c__d-e.f:v1',
    'registry.example.com/team/nginx@sha256:' + 'a'.repeat(64),
    'ghcr.io/o/n:tag@sha256:' + '0'.repeat(64),
    '[::1]:5000/x:1',
    'My.Registry.io/x',
  ])
    assert.equal(image(good), good, good);
  for (const bad of [
    'has space',
    '',
    'UPPER:::bad',
    'Nginx:1',
    'nginx:',
    'nginx@sha256:abc',
    ':tag',
    'a//b',
    'nginx:' + 'x'.repeat(129),
    '-nginx',
    'nginx_',
    'x/' + 'a'.repeat(255),
  ]) {
    assert.throws(() => image(bad), /invalid --image/, bad);
  }
  assert.throws(() => image('Nginx:1'), /lowercase/);
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
