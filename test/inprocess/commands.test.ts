// Every command's orchestration, in-process against what the local cluster answered
// (test/fixtures/, recorded by npm run fixtures): the same operations in the same order, the
// task list, the verdict, the -o json shape, stall reports and Ctrl-C. Seconds, not a cluster build.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documented, sameShape, timeConvention } from '../support/json-shape.ts';
import { replay } from '../support/inprocess.ts';
import { SCENARIOS } from '../support/scenarios.ts';

const shapes = documented();
const commandOf = (name: string) => SCENARIOS.find((s) => s.name === name)!.argv('')[4]!;

for (const s of SCENARIOS) {
  test(`${s.name}: replayed, it makes every recorded request, exits ${s.exit} and prints the documented -o json`, async () => {
    const r = await replay(s.name, ['-o', 'json']);
    assert.equal(r.code, s.exit, r.err);
    assert.deepEqual(r.cluster.unused(), [], 'every recorded operation was asked for again');
    if (s.exit !== 0) return;
    const data: unknown = JSON.parse(r.out);
    const command = commandOf(s.name);
    sameShape(command, shapes.get(command)!, data);
    timeConvention(command, data);
  });
}

test('kill-pod: the tasks in order, then the identity table and a PASS verdict', async () => {
  const r = await replay('kill-pod');
  assert.equal(r.code, 0, r.err);
  const titles = r.progress.filter((l) => /nginx-sts-1: |Delete pod/.test(l));
  const order = ['Delete pod nginx-sts-1', 'old pod gone after', 're-created after', 'Ready again after'].map((t) =>
    titles.findIndex((l) => l.includes(t)),
  );
  assert.ok(
    order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)),
    `tasks in order:\n${r.progress.join('\n')}`,
  );
  assert.match(r.out, /^uid\s/m);
  assert.match(r.out, /PASS {2}Stable identity held: nginx-sts-1 came back as itself/);
});

test('scale down: pods removed from the highest ordinal, and the claim of the removed pod kept', async () => {
  const r = await replay('scale-down', ['-o', 'json']);
  const d = JSON.parse(r.out) as {
    deletionOrder: string[];
    deletions: { pod: string }[];
    claims: { pvc: string; expected: string; ok: boolean }[];
    verdict: { result: string };
  };
  assert.deepEqual(d.deletionOrder, ['nginx-sts-3']);
  assert.deepEqual(
    d.deletions.map((x) => x.pod),
    d.deletionOrder,
  );
  assert.ok(d.claims.some((c) => c.pvc === 'data-nginx-sts-3' && c.expected === 'retained' && c.ok));
  assert.equal(d.verdict.result, 'PASS');
});

test("setup with an image no node can pull: ends with the pod that blocks and the kubelet's reason, not a bare timeout", async () => {
  const r = await replay('setup-unpullable');
  assert.equal(r.code, 1);
  assert.match(r.err, /^error: nginx-sts-0 is not Ready: (ErrImagePull|ImagePullBackOff)/m);
  assert.match(r.err, /localhost\/sts-lab-no-such-image:1/);
  assert.equal(r.err.split('\n').filter((l) => l.startsWith('error:')).length, 1, 'one error line');
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
});

test('tour --storage-class on a cluster without a default class: setup checks the class it was given', async () => {
  const r = await replay('tour-storage-class', ['-o', 'json']);
  assert.equal(r.code, 0, `${r.err}\n${r.progress.join('\n')}`);
  const report = JSON.parse(r.out) as {
    passed: boolean;
    stopped: string | null;
    rows: { concept: string; result: string }[];
  };
  assert.equal(report.stopped, null);
  assert.ok(report.passed);
  assert.ok(
    r.progress.some((l) => /Storage: StorageClass "shared-hostpath"/.test(l)),
    r.progress.join('\n'),
  );
});

test('Ctrl-C while watch-order waits: exit 130, and nothing is asked after it', async () => {
  let made = 0;
  let atCtrlC = -1;
  const r = await replay('watch-order', [], (key, interrupt) => {
    made++;
    // Once the pods are deleted, while the command waits for them (timers are the recording's, so not setTimeout).
    if (key.startsWith('DELETE '))
      setImmediate(() => {
        atCtrlC = made;
        interrupt.abort();
      });
  });
  assert.equal(r.code, 130, r.err);
  assert.match(r.err, /^error: interrupted$/m);
  assert.ok(atCtrlC > 0);
  assert.equal(made, atCtrlC, 'no request after Ctrl-C');
  assert.ok(r.cluster.undelivered() > 0, 'it stopped before the pods came back');
});
