import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyRows, templateChange } from '../../src/lab/history.ts';

const template = (image: string, annotations?: Record<string, string>) => ({ metadata: { annotations }, spec: { containers: [{ name: 'nginx', image }] } });

test('what each revision changed: images and annotations, against the revision before', () => {
  assert.equal(templateChange(undefined, template('a')), 'first revision');
  assert.equal(templateChange(template('a'), template('b')), 'image nginx: a → b');
  assert.equal(templateChange(template('a'), template('a', { 'sts-lab/updated-at': 't1' })), 'annotation sts-lab/updated-at: none → t1');
  assert.equal(templateChange(template('a'), template('a')), 'other template fields');
});

test('history rows: in revision order, with the pods on each and the current/update roles', () => {
  const rows = historyRows(
    [{ name: 'web-b', revision: 2, template: template('b') }, { name: 'web-a', revision: 1, template: template('a') }],
    [{ name: 'web-1', labels: { 'controller-revision-hash': 'web-a' } }, { name: 'web-0', labels: { 'controller-revision-hash': 'web-a' } }, { name: 'web-2', labels: { 'controller-revision-hash': 'web-b' } }],
    { currentRevision: 'web-a', updateRevision: 'web-b' },
  );
  assert.deepEqual(rows.map((r) => [r.revision, r.pods, r.current, r.update, r.change]), [
    [1, ['web-0', 'web-1'], true, false, 'first revision'],
    [2, ['web-2'], false, true, 'image nginx: a → b'],
  ]);
});
