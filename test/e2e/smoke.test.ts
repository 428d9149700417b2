// The platform smoke test on the real cluster, as a CI job runs it: tour --part storage on the
// default class (node-pinned, so the move is N/A and no node is cordoned: this file runs beside
// the others), its JUnit read by a real consumer; a threshold that fails; the storage report
// checked against the volumes' own node affinity. The move on a class that lets the pod go is
// test/serial/smoke-move.test.ts.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { documented, sameShape, timeConvention } from '../support/json-shape.ts';
import { readJunit, validateJunit } from '../support/junit.ts';
import {
  dropNamespace,
  exists,
  IMAGE,
  K8S_VERSION,
  kubectlJson,
  sandboxFile,
  sts,
  stsJson,
  uniqueName,
} from './harness.ts';

interface Row {
  part: string;
  concept: string;
  result: string;
  evidence: string;
  optional?: boolean;
}

test('tour --part storage on a pinned class: every row read from the cluster, move and expansion N/A with why; JUnit as CI reads it', async () => {
  const ns = uniqueName('e2e-smoke');
  after(() => dropNamespace(ns));
  const junit = sandboxFile(`${ns}.xml`, '');
  const r = await sts([
    ...['-n', ns, '--progress', 'plain', 'tour', '--part', 'storage', '--image', IMAGE],
    ...['--junit', junit, '--max-recovery', '2m', '--max-attach', '2m', '-o', 'json'],
  ]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  sameShape('tour', documented().get('tour')!, out);
  timeConvention('tour', out);
  assert.equal(out.namespace, ns);
  assert.deepEqual(out.parts, ['storage']);
  const rows = out.rows as Row[];
  assert.deepEqual(
    rows.map((x) => x.concept),
    [
      'Claims bound',
      'Data survives its pod',
      'Pod moves with its data',
      'Scale to 0 and back',
      'Retention policy',
      'Volume expansion',
      'Cleanup',
      'Within --max-recovery 2m0s',
      'Within --max-attach 2m0s',
    ],
  );
  const row = (c: string) => rows.find((x) => x.concept === c)!;
  assert.match(row('Claims bound').evidence, /^standard: data-nginx-sts-0 bound \S+, attached \S+; data-nginx-sts-1/);
  assert.equal(row('Pod moves with its data').result, 'N/A');
  assert.equal(row('Pod moves with its data').optional, true);
  assert.match(row('Pod moves with its data').evidence, /volumes of standard are pinned to their node \(\S+\)/);
  assert.equal(row('Volume expansion').result, 'N/A');
  assert.match(row('Volume expansion').evidence, /StorageClass standard does not allow volume expansion/);
  for (const c of ['Claims bound', 'Data survives its pod', 'Scale to 0 and back', 'Retention policy', 'Cleanup'])
    assert.equal(row(c).result, 'PASS', `${c}: ${row(c).evidence}`);
  assert.match(row('Within --max-recovery 2m0s').evidence, /^nginx-sts-1 deleted → Ready again \S+$/);

  validateJunit(junit);
  const suite = readJunit(junit);
  assert.equal(suite.tests, rows.length);
  assert.equal(suite.failures, 0);
  assert.equal(suite.errors, 0);
  assert.equal(suite.skipped, rows.filter((x) => x.result === 'N/A').length);
  assert.deepEqual(
    suite.cases.map((c) => [c.classname, c.name, c.result]),
    rows.map((x) => [`sts-lab.tour.${x.part}`, x.concept, x.result === 'N/A' ? 'skipped' : 'passed']),
  );
  assert.match(suite.cases[2]!.message ?? '', /pinned to their node/);
  assert.equal(suite.properties['sts-lab.serverVersion'], K8S_VERSION);
  assert.equal(suite.properties['sts-lab.storageClass'], 'standard');
  assert.equal(suite.properties['sts-lab.storageClass.provisioner'], 'rancher.io/local-path');
  assert.equal(suite.properties['sts-lab.storageClass.volumeBindingMode'], 'WaitForFirstConsumer');
  const ready = out.timings.find((t: { what: string }) => t.what === '3 pods Ready');
  assert.equal(suite.properties['sts-lab.timings[3 pods Ready].durationMs'], String(ready.durationMs));
  assert.equal(await exists('namespace', ns), false);
});

test('a time over its threshold fails the command, and the JUnit failure names the figure and the limit', async () => {
  const ns = uniqueName('e2e-smoke-limit');
  after(() => dropNamespace(ns));
  const setupXml = sandboxFile(`${ns}-setup.xml`, '');
  const setup = await stsJson(['-n', ns, 'setup', '--image', IMAGE, '--max-ready', '10m', '--junit', setupXml]);
  assert.equal(setup.thresholds.result, 'PASS');
  assert.deepEqual(
    readJunit(setupXml).cases.map((c) => [c.name, c.result]),
    [
      ['setup', 'passed'],
      ['setup: thresholds', 'passed'],
    ],
  );
  const killXml = sandboxFile(`${ns}-kill.xml`, '');
  const r = await sts(['-n', ns, 'kill-pod', '1', '--max-recovery', '1ms', '--junit', killXml, '-o', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.verdict.result, 'PASS', 'the pod came back: identity held');
  assert.equal(out.thresholds.result, 'FAIL');
  const check = out.thresholds.checks[0];
  assert.equal(check.limitMs, 1);
  assert.ok(check.measuredMs > 1, `recovery measured ${check.measuredMs} ms`);
  validateJunit(killXml);
  const suite = readJunit(killXml);
  assert.equal(suite.failures, 1);
  const failed = suite.cases.find((c) => c.result === 'failure')!;
  assert.equal(failed.name, 'kill-pod: thresholds');
  assert.match(failed.message ?? '', /nginx-sts-1 deleted → Ready again \S+ over --max-recovery 1ms/);
});

test('storage: each pod on the node its volume is pinned to, as the PVs say; a claim kept from an earlier lab is named', async () => {
  const ns = uniqueName('e2e-smoke-storage');
  after(() => dropNamespace(ns));
  await stsJson(['-n', ns, 'setup', '--image', IMAGE]);
  const report = await stsJson(['-n', ns, 'storage']);
  sameShape('storage', documented().get('storage')!, report);
  const standard = report.classes.find((c: { name: string }) => c.name === 'standard');
  assert.deepEqual(
    [standard.isDefault, standard.provisioner, standard.volumeBindingMode],
    [true, 'rancher.io/local-path', 'WaitForFirstConsumer'],
  );
  assert.deepEqual(report.warnings, []);
  const pods = await kubectlJson(['-n', ns, 'get', 'pods']);
  assert.equal(report.volumes.length, 3);
  for (const v of report.volumes) {
    const pv = await kubectlJson(['get', 'pv', v.pv]);
    const pinned = pv.spec.nodeAffinity.required.nodeSelectorTerms.flatMap(
      (t: { matchExpressions: { values: string[] }[] }) => t.matchExpressions.flatMap((e) => e.values),
    );
    assert.deepEqual(v.volumeNodes, pinned, v.pod);
    const pod = pods.items.find((p: { metadata: { name: string } }) => p.metadata.name === v.pod);
    assert.equal(v.node, pod.spec.nodeName, `${v.pod} runs where its volume is`);
    assert.deepEqual(pinned, [pod.spec.nodeName]);
    assert.equal(v.pvc, `data-${v.pod}`);
    assert.equal(v.pvcStatus, 'Bound');
  }

  assert.equal((await sts(['-n', ns, 'teardown', '--keep-pvcs', '--keep-namespace'])).code, 0);
  await stsJson(['-n', ns, 'setup', '--image', IMAGE]);
  const again = await stsJson(['-n', ns, 'storage']);
  assert.deepEqual(
    again.warnings.map((w: string) => /^claim (\S+) was kept from an earlier lab/.exec(w)?.[1]),
    ['data-nginx-sts-0', 'data-nginx-sts-1', 'data-nginx-sts-2'],
  );
  const table = await sts(['-n', ns, 'storage']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /claim data-nginx-sts-1 was kept from an earlier lab/);
  assert.equal((await sts(['-n', ns, 'teardown'])).code, 0);
});
