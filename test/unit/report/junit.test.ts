import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { suiteOf, verdictCases, durationsIn, verdictsIn } from '../../../src/command-support/judged.ts';
import { clusterFacts } from '../../../src/lab/cluster-facts.ts';
import { verdict } from '../../../src/lab/verdict.ts';
import { reportCases, thresholdRows, type LabReport } from '../../../src/report/lab-report.ts';
import { junitXml, type TestCase } from '../../../src/ui/junit.ts';
import { readJunit, validateJunit } from '../../support/junit.ts';

const dir = mkdtempSync(join(tmpdir(), 'sts-lab-junit-'));
const write = (name: string, xml: string) => {
  const f = join(dir, name);
  writeFileSync(f, xml);
  return f;
};

const facts = clusterFacts({
  context: 'kind-lab',
  server: 'https://127.0.0.1:6443',
  serverVersion: 'v1.37.2',
  classes: [
    {
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
    },
  ],
  nodes: [{ metadata: { labels: { 'topology.kubernetes.io/zone': 'b' } } }, { metadata: { labels: {} } }],
  statefulSet: {
    metadata: { annotations: { 'sts-lab/sent-fields': 'ordinals,maxUnavailable' } },
    spec: { ordinals: { start: 2 }, podManagementPolicy: 'Parallel' },
  },
});

test('cluster facts: the class the claims use, nodes and zones, the policy, what the server kept of what was sent', () => {
  assert.equal(facts.storageClass?.name, 'standard');
  assert.equal(facts.storageClass?.volumeBindingMode, 'WaitForFirstConsumer');
  assert.equal(facts.storageClass?.isDefault, true);
  assert.equal(facts.nodes, 2);
  assert.deepEqual(facts.zones, ['b']);
  assert.equal(facts.podManagementPolicy, 'Parallel');
  assert.deepEqual(facts.kept, {
    maxUnavailable: 'dropped',
    ordinals: 'kept',
    persistentVolumeClaimRetentionPolicy: 'not sent',
  });
});

test('a command: one case per verdict wherever the data keeps it, named by where it sits', () => {
  const data = {
    verdict: verdict('PASS', 'same identity', ['line']),
    startOrdinal: { verdict: verdict('N/A', 'not asked', ['the server was not asked']) },
    thresholds: verdict('FAIL', 'Over the limit: recovery 3.0s over --max-recovery 1.0s'),
    timingsMs: { ready: 3000, gone: null },
    failoverMs: 1200,
    timings: [{ what: '3 pods Ready', durationMs: 2000 }, { durationMs: 5 }, { what: '3 pods Ready', durationMs: 7 }],
  };
  assert.deepEqual(
    verdictsIn(data).map(([p]) => p),
    ['verdict', 'startOrdinal.verdict', 'thresholds'],
  );
  assert.deepEqual(durationsIn(data), [
    ['timingsMs.ready', 3000],
    ['failoverMs', 1200],
    ['timings[3 pods Ready].durationMs', 2000],
    ['timings.1.durationMs', 5],
    ['timings.2.durationMs', 7],
  ]);
  const cases = verdictCases('kill-pod', data, 'FIELD  BEFORE\nname   a');
  assert.deepEqual(
    cases.map((c) => [c.name, c.result]),
    [
      ['kill-pod', 'PASS'],
      ['kill-pod: startOrdinal', 'N/A'],
      ['kill-pod: thresholds', 'FAIL'],
    ],
  );
  assert.match(cases[0]!.evidence, /PASS {2}same identity\nline\n\nFIELD/);
});

test('the XML validates against junit-4.xsd and junitparser reads back every result, the why and the properties', () => {
  const cases: TestCase[] = [
    { classname: 'sts-lab.kill-pod', name: 'held', result: 'PASS', message: 'ok', evidence: 'a < b & "c"' },
    {
      classname: 'sts-lab.kill-pod',
      name: 'failed',
      result: 'FAIL',
      message: 'recovery 3.0s over --max-recovery 1.0s',
      details: ['why'],
      evidence: 'log with a \u0007 bell',
    },
    { classname: 'sts-lab.tour.nodes', name: 'skipped', result: 'N/A', message: 'one node', evidence: '' },
    { classname: 'sts-lab.tour', name: 'stopped', result: 'ERROR', message: 'quota exceeded', evidence: '' },
  ];
  const file = write('all.xml', junitXml(suiteOf('sts-lab kill-pod', new Date(), cases, facts, { failoverMs: 1200 })));
  validateJunit(file);
  const parsed = readJunit(file);
  assert.deepEqual([parsed.tests, parsed.failures, parsed.skipped, parsed.errors], [4, 1, 1, 1]);
  assert.deepEqual(
    parsed.cases.map((c) => c.result),
    ['passed', 'failure', 'skipped', 'error'],
  );
  assert.equal(parsed.cases[0]!.systemOut, 'a < b & "c"');
  assert.equal(parsed.cases[1]!.message, 'recovery 3.0s over --max-recovery 1.0s');
  assert.equal(parsed.cases[2]!.message, 'one node');
  assert.equal(parsed.properties['sts-lab.serverVersion'], 'v1.37.2');
  assert.equal(parsed.properties['sts-lab.storageClass.provisioner'], 'rancher.io/local-path');
  assert.equal(parsed.properties['sts-lab.kept.maxUnavailable'], 'dropped');
  assert.equal(parsed.properties['sts-lab.failoverMs'], '1200');
});

test('the validator can fail: an attribute the schema does not know is refused', () => {
  const file = write(
    'bad.xml',
    junitXml(suiteOf('x', new Date(), [], null, null)).replace('<testsuite ', '<testsuite bogus="1" '),
  );
  assert.throws(() => validateJunit(file), /does not validate/);
});

test('the tour: one case per row, its part as the class, the stopped step as an error', () => {
  const r = {
    rows: [
      { part: 'seed', concept: 'Ordered creation', outcome: 'in order', result: 'PASS', evidence: '0 then 1' },
      { part: 'nodes', concept: 'Failover', outcome: 'fast', result: 'N/A', evidence: 'one node' },
    ],
    stopped: 'Drain: quota',
  } as unknown as LabReport;
  assert.deepEqual(
    reportCases(r).map((c) => [c.classname, c.name, c.result]),
    [
      ['sts-lab.tour.seed', 'Ordered creation', 'PASS'],
      ['sts-lab.tour.nodes', 'Failover', 'N/A'],
      ['sts-lab.tour', 'tour steps', 'ERROR'],
    ],
  );
});

test('threshold rows: every measured time within the limit, else a FAIL naming the figure and the limit', () => {
  const measured = [
    { 'max-recovery': { what: 'nginx-sts-1 deleted → Ready again', ms: 4000 } },
    { 'max-recovery': { what: 'nginx-sts-1 failover', ms: 95_000 } },
    { 'max-ready': { what: '3 pods Ready', ms: 12_000 } },
  ];
  const [ready, recovery] = thresholdRows({ 'max-ready': 60_000, 'max-recovery': 90_000 }, measured);
  assert.equal(ready!.result, 'PASS');
  assert.equal(ready!.evidence, '3 pods Ready 12.0s');
  assert.equal(recovery!.result, 'FAIL');
  assert.equal(
    recovery!.evidence,
    'over 1m30s: nginx-sts-1 failover 1m35s; within: nginx-sts-1 deleted → Ready again 4.0s',
  );
  const [attach] = thresholdRows({ 'max-attach': 1000 }, measured);
  assert.equal(attach!.result, 'FAIL', 'a limit nothing measured fails');
});
