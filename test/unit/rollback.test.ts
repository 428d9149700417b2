import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseRollback, rollbackTarget } from '../../src/lab/rollback.ts';

const revs = [1, 2, 3].map((revision) => ({ name: `r${revision}`, revision, template: { metadata: { annotations: { n: String(revision) } } } }));

test('rollback target: the asked revision; the current one mid roll-out; the restored one while pods lag; else the one before', () => {
  assert.equal(rollbackTarget(revs, { currentRevision: 'r3', updateRevision: 'r3' }, ['r3'], 1).name, 'r1');
  assert.throws(() => rollbackTarget(revs, {}, [], 9), /revision 9 not found: this StatefulSet has revisions 1, 2, 3/);
  assert.equal(rollbackTarget(revs, { currentRevision: 'r2', updateRevision: 'r3' }, ['r2', 'r3'], undefined).name, 'r2', 'a stalled roll-out goes back to what the untouched pods run');
  assert.equal(rollbackTarget(revs, { currentRevision: 'r2', updateRevision: 'r2' }, ['r2', 'r3'], undefined).name, 'r2', 'template restored, a pod still stuck: finish that rollback, do not toggle');
  assert.equal(rollbackTarget(revs, { currentRevision: 'r3', updateRevision: 'r3' }, ['r3', 'r3'], undefined).name, 'r2', 'a finished update: undo it');
  assert.throws(() => rollbackTarget(revs.slice(0, 1), { currentRevision: 'r1', updateRevision: 'r1' }, ['r1'], undefined), /nothing to roll back to: this StatefulSet has one revision/);
});

const pod = (uid: string, rev: string, ready: boolean) => ({ metadata: { uid, labels: { 'controller-revision-hash': rev } }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
const before = new Map([[0, pod('a', 'good', true)], [1, pod('b', 'good', true)], [2, pod('c', 'bad', false)]]);
const base = { ordinals: [0, 1, 2], before, target: 'good', policy: 'OrderedReady', deleted: [] as number[], stuck: [] as number[], windowMs: 15_000, podName: (i: number) => `web-${i}` };

test('rollback: a pod left on the broken revision fails, naming it and the way out', () => {
  const r = analyseRollback({ ...base, after: before, stuck: [2] });
  assert.equal(r.verdict.result, 'FAIL');
  assert.match(r.verdict.headline, /Rollback not complete: web-2 still off revision good; nothing moved for 15.0s after the template was restored/);
  assert.match(r.verdict.why.join('\n'), /Under OrderedReady the controller replaces no pod while one is not Running and Ready/);
  assert.match(r.verdict.why.join('\n'), /kubectl sts-lab rollback --delete-stuck/);
  assert.deepEqual(r.rows.map((x) => x.action), ['untouched', 'untouched', 'untouched']);
});

test('rollback: the stuck pod deleted and back on the target passes; so does a controller that replaced it itself', () => {
  const after = new Map([[0, before.get(0)!], [1, before.get(1)!], [2, pod('d', 'good', true)]]);
  const forced = analyseRollback({ ...base, after, stuck: [2], deleted: [2] });
  assert.equal(forced.verdict.result, 'PASS');
  assert.match(forced.verdict.headline, /web-2 was stuck \(nothing moved for 15.0s\); deleted, the controller re-created it/);
  assert.equal(forced.rows[2]!.action, 'deleted by sts-lab');
  const itself = analyseRollback({ ...base, after });
  assert.match(itself.verdict.headline, /the controller replaced web-2 by itself/);
  const notReady = analyseRollback({ ...base, after: new Map([...after, [2, pod('d', 'good', false)]]), stuck: [2], deleted: [2] });
  assert.equal(notReady.verdict.result, 'FAIL', 'on the target revision but not Ready is not rolled back');
});
