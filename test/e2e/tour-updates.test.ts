// tour --part updates on the real cluster: canary, phased and full roll-outs, a broken update
// and its forced rollback, OnDelete, the data through all of it; its own report rows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dropNamespace, exists, IMAGE, sts, uniqueName } from './harness.ts';
import { documented, sameShape, timeConvention } from '../support/json-shape.ts';

const UPDATE_CONCEPTS = [
  'Ordered rolling update',
  'Partitioned roll-out',
  'Forced rollback',
  'OnDelete',
  'Data survives updates',
];

test('tour --part updates passes every row from its own evidence, and cleans up', async () => {
  const ns = uniqueName('e2e-tour-upd');
  after(() => dropNamespace(ns));
  const report = join(tmpdir(), `${ns}.md`);
  const r = await sts([
    '-n',
    ns,
    '--progress',
    'plain',
    'tour',
    '--part',
    'updates',
    '--image',
    IMAGE,
    '--report',
    report,
    '-o',
    'json',
  ]);
  assert.equal(r.code, 0, r.stderr);
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
  assert.match(
    r.stderr,
    /== Step 7\/13: A broken update: a readiness probe that never passes\n[\s\S]*?\n {3}The update failed, as it should: Roll-out stalled at nginx-sts-2/,
  );
  const md = readFileSync(report, 'utf8');
  assert.match(md, /tour parts: updates\.$/m);
  for (const c of UPDATE_CONCEPTS) assert.match(md, new RegExp(`^\\| ${c} \\|.*\\| \\*\\*PASS\\*\\* \\|`, 'm'));
  assert.equal(await exists('namespace', ns), false, 'teardown removed the namespace');
});
