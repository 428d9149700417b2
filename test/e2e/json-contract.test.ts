// The -o json contract as the command reference (docs/commands.md) documents it: for every
// command, the top-level keys it lists are exactly the keys the command prints, nested objects
// included where it spells them out; every instant is ISO 8601 and every duration ends in Ms.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { dropNamespace, IMAGE, sts, uniqueName } from './harness.ts';
import { documented, sameShape, timeConvention } from '../support/json-shape.ts';

const ns = uniqueName('e2e-json');
after(() => dropNamespace(ns));

test("every command's -o json has the keys the command reference documents, and one time convention", async () => {
  const doc = documented();
  const flags = ['-n', ns, '--progress', 'none', '-o', 'json'];
  const runs: [string, string[]][] = [
    ['setup', ['setup', '--image', IMAGE, '--replicas', '2']],
    ['status', ['status']],
    ['watch-order', ['watch-order', '--restart']],
    ['write-data', ['write-data']],
    ['kill-pod', ['kill-pod', '1']],
    ['check-persistence', ['check-persistence']],
    ['verify', ['verify', 'storage']],
    ['unready', ['unready', '1']],
    ['unready', ['ready', '1']],
    ['dns', ['dns']],
    ['scale', ['scale', '3']],
    ['update', ['update']],
    ['history', ['history']],
    ['rollback', ['rollback']],
    ['orphan', ['orphan']],
    ['teardown', ['teardown']],
  ];
  for (const [name, args] of runs) {
    const r = await sts([...flags, ...args]);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    assert.ok(doc.has(name), `docs/commands.md documents ${name} -o json`);
    sameShape(name, doc.get(name)!, out);
    timeConvention(name, out);
  }
  assert.ok(doc.has('tour'), 'docs/commands.md documents tour -o json (tour.test.ts holds the tour to it)');
});
