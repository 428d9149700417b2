// tour on the real cluster: passes and cleans up; Ctrl-C mid-step exits 130 and a second
// tour passes; the Markdown report names every row. (--keep and the HTML report: report-browser.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cleanEnv, dropNamespace, exists, IMAGE, kubectl, sts, uniqueName } from './harness.ts';
import { sharesClusterDns } from './cluster-env.ts';
import { documented, sameShape, timeConvention } from '../support/json-shape.ts';
import { SEED_CONCEPTS } from '../support/concepts.ts';

sharesClusterDns();

test('tour passes, writes a report naming every row, and leaves nothing behind', async () => {
  const ns = uniqueName('e2e-tour');
  after(() => dropNamespace(ns));
  const report = join(tmpdir(), `${ns}.md`);
  const r = await sts(['-n', ns, '--progress', 'plain', 'tour', '--image', IMAGE, '--report', report, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.passed, true);
  sameShape('tour', documented().get('tour')!, out);
  timeConvention('tour', out);
  assert.deepEqual(
    out.rows.map((x: { concept: string }) => x.concept),
    SEED_CONCEPTS,
  );
  assert.ok(
    out.rows.every((x: { result: string }) => x.result === 'PASS'),
    JSON.stringify(out.rows, null, 2),
  );
  assert.equal(out.steps.length, 10);
  assert.match(r.stderr, /== Step 6\/10: Delete nginx-sts-1 and watch it come back/);
  const md = readFileSync(report, 'utf8');
  assert.match(md, /^# StatefulSet lab report: PASS$/m);
  for (const c of SEED_CONCEPTS) assert.match(md, new RegExp(`^\\| ${c} \\|.*\\| \\*\\*PASS\\*\\* \\|`, 'm'));
  assert.equal(await exists('namespace', ns), false, 'teardown removed the namespace');
  const pvcs = await kubectl(['get', 'pvc', '-A', '-o', 'name']);
  assert.doesNotMatch(pvcs.stdout, new RegExp(ns));
});

test('Ctrl-C during kill-pod exits 130, and a second tour passes', async () => {
  const ns = uniqueName('e2e-sigint');
  after(() => dropNamespace(ns));
  const child = spawn('kubectl', ['sts-lab', '-n', ns, '--progress', 'plain', 'tour', '--image', IMAGE], {
    env: cleanEnv(),
  });
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d) => {
    stderr += d;
    // kubectl replaces itself with the plugin (exec), so the signal reaches sts-lab directly.
    if (!sent && /Delete pod nginx-sts-1/.test(stderr)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  assert.ok(sent, `never reached the kill-pod step:\n${stderr}`);
  assert.equal(code, 130, stderr);
  assert.match(stderr, /^error: interrupted$/m);
  assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  const again = await sts(['-n', ns, '--progress', 'none', 'tour', '--image', IMAGE, '-o', 'json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).passed, true);
  assert.equal(await exists('namespace', ns), false);
});
