// tour --part updates on the real cluster, hands on: a learner types every kubectl command the
// tour shows (canary, phased and full roll-outs, a broken update and its forced rollback,
// OnDelete), and the tour proves each from its own evidence, as when the lab acts (tour-all).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cleanEnv, dropNamespace, exists, IMAGE, learner, run, uniqueName } from './harness.ts';
import { documented, sameShape, timeConvention } from '../support/json-shape.ts';

const UPDATE_CONCEPTS = [
  'Ordered rolling update',
  'Partitioned roll-out',
  'Forced rollback',
  'OnDelete',
  'Data survives updates',
];

test('tour --part updates --hands-on: every command shown works as typed, and every row passes from its own evidence', async () => {
  const ns = uniqueName('e2e-tour-upd');
  after(() => dropNamespace(ns));
  const report = join(tmpdir(), `${ns}.md`);
  const you = learner();
  const args = [
    'sts-lab',
    '-n',
    ns,
    '--progress',
    'plain',
    'tour',
    '--part',
    'updates',
    '--image',
    IMAGE,
    '--hands-on',
    '--report',
    report,
    '-o',
    'json',
  ];
  const r = await run('kubectl', args, { env: cleanEnv(), onStderr: you.onStderr });
  await you.idle();
  assert.equal(r.code, 0, r.stderr);
  const n = `kubectl -n ${ns}`;
  assert.deepEqual(
    you.typed.map((t) => t.command),
    [
      `${n} patch statefulset nginx-sts -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}'`,
      `${n} rollout restart statefulset/nginx-sts`,
      `${n} delete pod nginx-sts-1`,
      `${n} patch statefulset nginx-sts -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}}}}'`,
      `${n} rollout restart statefulset/nginx-sts`,
      `${n} patch statefulset/nginx-sts --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/readinessProbe","value":{"tcpSocket":{"port":1},"periodSeconds":2}}]'`,
      `${n} rollout undo statefulset/nginx-sts --to-revision=3`,
      `${n} delete pod nginx-sts-2`,
      `${n} rollout restart statefulset/nginx-sts`,
      `${n} delete pod nginx-sts-2`,
      `${n} scale statefulset nginx-sts --replicas=0`,
    ],
  );
  for (const t of you.typed) assert.equal(t.code, 0, `${t.command}: ${t.output}`);
  const out = JSON.parse(r.stdout);
  sameShape('tour', documented().get('tour')!, out);
  timeConvention('tour', out);
  assert.deepEqual(out.parts, ['updates']);
  assert.deepEqual(
    out.rows.map((x: { concept: string }) => x.concept),
    [...UPDATE_CONCEPTS, 'Cleanup'],
  );
  assert.ok(
    out.rows.every((x: { result: string }) => x.result === 'PASS'),
    JSON.stringify(out.rows, null, 2),
  );
  const row = (c: string) => out.rows.find((x: { concept: string }) => x.concept === c).evidence as string;
  assert.match(
    row('Ordered rolling update'),
    /^replaced nginx-sts-2, nginx-sts-1, nginx-sts-0; 2 waits for the pod above to be Ready$/,
  );
  assert.match(
    row('Partitioned roll-out'),
    /^partition 2 replaced nginx-sts-2; nginx-sts-1 re-created on \S+ \(current revision\); partition 0 then replaced nginx-sts-1, nginx-sts-0$/,
  );
  assert.match(
    row('Forced rollback'),
    /^stalled at nginx-sts-2 \(Running, not Ready\); 2 lower pods untouched; nginx-sts-2 stuck, deleted, back on \S+$/,
  );
  assert.equal(out.steps.length, 13);
  // Each action the learner was shown is recorded as theirs, and nothing as the lab's.
  const actions = out.steps.flatMap((x: { actions?: { kubectl: string; by: string }[] }) => x.actions ?? []);
  assert.deepEqual(
    actions.map((a: { kubectl: string }) => a.kubectl),
    you.typed.map((t) => t.command),
  );
  assert.ok(
    actions.every((a: { by: string }) => a.by === 'learner'),
    JSON.stringify(actions),
  );
  assert.match(
    r.stderr,
    /== Step 7\/13: A broken update: a readiness probe that never passes\n[\s\S]*?\n {3}The update failed, as it should: Roll-out stalled at nginx-sts-2/,
  );
  const md = readFileSync(report, 'utf8');
  assert.match(md, /tour parts: updates\.$/m);
  for (const c of UPDATE_CONCEPTS) assert.match(md, new RegExp(`^\\| ${c} \\|.*\\| \\*\\*PASS\\*\\* \\|`, 'm'));
  assert.equal(await exists('namespace', ns), false, 'teardown removed the namespace');
});
