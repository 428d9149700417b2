import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyRows, staleCurrentNote, templateChange } from '../../../../src/lessons/updates/revisions.ts';

const template = (image: string, annotations?: Record<string, string>) => ({
  metadata: { annotations },
  spec: { containers: [{ name: 'nginx', image }] },
});

test('what each revision changed: images and annotations, against the revision before', () => {
  assert.equal(templateChange(undefined, template('a')), 'first revision');
  assert.equal(templateChange(template('a'), template('b')), 'image nginx: a → b');
  assert.equal(
    templateChange(template('a'), template('a', { 'sts-lab/updated-at': 't1' })),
    'annotation sts-lab/updated-at: none → t1',
  );
  assert.equal(templateChange(template('a'), template('a')), 'other template fields');
});

test('history rows: in revision order, with the pods on each and the current/update roles', () => {
  const rows = historyRows(
    [
      { name: 'web-b', revision: 2, template: template('b') },
      { name: 'web-a', revision: 1, template: template('a') },
    ],
    [
      { name: 'web-1', labels: { 'controller-revision-hash': 'web-a' } },
      { name: 'web-0', labels: { 'controller-revision-hash': 'web-a' } },
      { name: 'web-2', labels: { 'controller-revision-hash': 'web-b' } },
    ],
    { currentRevision: 'web-a', updateRevision: 'web-b' },
  );
  assert.deepEqual(
    rows.map((r) => [r.revision, r.pods, r.current, r.update, r.change]),
    [
      [1, ['web-0', 'web-1'], true, false, 'first revision'],
      [2, ['web-2'], false, true, 'image nginx: a → b'],
    ],
  );
});

test('OnDelete and currentRevision: before 1.37 it stays on the old revision for good, from 1.37 it follows once every pod is updated', () => {
  const pods = [
    { name: 'web-0', labels: { 'controller-revision-hash': 'web-b' } },
    { name: 'web-1', labels: { 'controller-revision-hash': 'web-b' } },
  ];
  const revisions = [
    { name: 'web-a', revision: 1, template: template('a') },
    { name: 'web-b', revision: 2, template: template('b') },
  ];
  const before137 = { currentRevision: 'web-a', updateRevision: 'web-b' };
  const from137 = { currentRevision: 'web-b', updateRevision: 'web-b' };
  const roles = (status: typeof before137) =>
    historyRows(revisions, pods, status).map((r) => [r.name, r.current, r.update, r.pods.length]);
  assert.deepEqual(
    roles(before137),
    [
      ['web-a', true, false, 0],
      ['web-b', false, true, 2],
    ],
    "the role is the controller's word, the pods are beside it",
  );
  assert.deepEqual(roles(from137), [
    ['web-a', false, false, 0],
    ['web-b', true, true, 2],
  ]);
  const revs = pods.map((p) => p.labels['controller-revision-hash']);
  assert.match(
    staleCurrentNote('OnDelete', before137, revs)!,
    /^Every pod runs the update revision web-b, yet status\.currentRevision still names web-a: under OnDelete, Kubernetes before 1\.37 never moves it/,
  );
  assert.equal(staleCurrentNote('OnDelete', from137, revs), undefined, '1.37: nothing stale to explain');
  assert.equal(
    staleCurrentNote('OnDelete', before137, ['web-a', 'web-b']),
    undefined,
    'a pod still on web-a: that is a roll-out under way, on any version',
  );
  assert.equal(
    staleCurrentNote('RollingUpdate', before137, revs),
    undefined,
    'RollingUpdate moves currentRevision on every version',
  );
});
