import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  policyOf,
  renderBudget,
  renderManifests as render,
  specHash,
  type LabSettings,
} from '../../src/lab/manifests.ts';

// The tests read any field of the rendered YAML, not only the ones setup fills in.

type Loose = Record<string, any>;
const renderManifests = (...a: Parameters<typeof render>) =>
  render(...a) as unknown as { namespace: Loose; service: Loose; statefulSet: Loose };
import { parseRetention } from '../../src/lab/validate.ts';
import { MANAGED_BY_LABEL, SPEC_HASH_ANNOTATION } from '../../src/lab/names.ts';
import { hasReadinessSwitch } from '../../src/lab/readiness.ts';

const read = (f: string) => readFileSync(new URL(`../../manifests/${f}`, import.meta.url), 'utf8');
const SOURCES = {
  namespace: read('namespace.yaml'),
  service: read('service.yaml'),
  statefulset: read('statefulset.yaml'),
  poddisruptionbudget: read('poddisruptionbudget.yaml'),
};

const settings = (over: Partial<LabSettings> = {}): LabSettings => ({
  namespace: 'scenarios',
  statefulSet: 'nginx-sts',
  service: 'nginx-headless',
  replicas: 3,
  image: 'nginx:1.27-alpine',
  storageSize: '1Gi',
  podManagementPolicy: 'OrderedReady',
  ...over,
});

test('defaults render the scenario exactly: headless service, OrderedReady, claim template data', () => {
  const { namespace, service, statefulSet } = renderManifests(SOURCES, settings());
  assert.equal(namespace.metadata.name, 'scenarios');
  assert.equal(service.spec.clusterIP, 'None');
  assert.deepEqual(service.spec.selector, { app: 'nginx-sts' });
  assert.equal(statefulSet.spec.serviceName, 'nginx-headless');
  assert.equal(statefulSet.spec.replicas, 3);
  assert.equal(statefulSet.spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(statefulSet.spec.selector.matchLabels, { app: 'nginx-sts' });
  assert.equal(statefulSet.spec.template.metadata.labels.app, 'nginx-sts', 'the selector must match the pod template');
  assert.equal(statefulSet.spec.volumeClaimTemplates[0].metadata.name, 'data');
  assert.equal(statefulSet.spec.template.spec.containers[0].volumeMounts[0].mountPath, '/usr/share/nginx/html');
  assert.ok(statefulSet.spec.template.spec.terminationGracePeriodSeconds > 0);
  assert.ok(hasReadinessSwitch(statefulSet.spec.template.spec), "the readiness probe is the lab's switch");
  assert.equal(statefulSet.spec.volumeClaimTemplates[0].spec.storageClassName, undefined, 'default class unless asked');
});

test('every object carries the managed-by label, pods and claims included', () => {
  const { namespace, service, statefulSet } = renderManifests(SOURCES, settings());
  for (const labels of [
    namespace.metadata.labels,
    service.metadata.labels,
    statefulSet.metadata.labels,
    statefulSet.spec.template.metadata.labels,
    statefulSet.spec.volumeClaimTemplates[0].metadata.labels,
  ])
    assert.equal(labels[MANAGED_BY_LABEL], 'sts-lab');
});

test('settings flow into names, selectors, image, storage and retention', () => {
  const s = settings({
    namespace: 'lab2',
    statefulSet: 'web',
    service: 'web-h',
    replicas: 5,
    image: 'localhost/x:1',
    storageSize: '2Gi',
    storageClass: 'fast',
    podManagementPolicy: 'Parallel',
    retention: { whenScaled: 'Delete', whenDeleted: 'Retain' },
  });
  const { service, statefulSet } = renderManifests(SOURCES, s);
  assert.equal(service.metadata.namespace, 'lab2');
  assert.deepEqual(service.spec.selector, { app: 'web' });
  assert.equal(statefulSet.metadata.name, 'web');
  assert.equal(statefulSet.spec.serviceName, 'web-h');
  assert.deepEqual(statefulSet.spec.selector.matchLabels, { app: 'web' });
  assert.equal(statefulSet.spec.template.metadata.labels.app, 'web');
  assert.equal(statefulSet.spec.template.spec.containers[0].image, 'localhost/x:1');
  assert.equal(statefulSet.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '2Gi');
  assert.equal(statefulSet.spec.volumeClaimTemplates[0].spec.storageClassName, 'fast');
  assert.equal(statefulSet.spec.podManagementPolicy, 'Parallel');
  assert.deepEqual(statefulSet.spec.persistentVolumeClaimRetentionPolicy, {
    whenScaled: 'Delete',
    whenDeleted: 'Retain',
  });
});

test('spec hash: stable for equal settings, different when a setting changes', () => {
  const a = renderManifests(SOURCES, settings()).statefulSet;
  const b = renderManifests(SOURCES, settings()).statefulSet;
  const c = renderManifests(SOURCES, settings({ replicas: 4 })).statefulSet;
  assert.equal(a.metadata.annotations[SPEC_HASH_ANNOTATION], b.metadata.annotations[SPEC_HASH_ANNOTATION]);
  assert.notEqual(a.metadata.annotations[SPEC_HASH_ANNOTATION], c.metadata.annotations[SPEC_HASH_ANNOTATION]);
  assert.equal(
    specHash(a as Parameters<typeof specHash>[0]),
    a.metadata.annotations[SPEC_HASH_ANNOTATION],
    'the hash ignores annotations, its own included',
  );
});

test('retention flag parsing', () => {
  assert.deepEqual(parseRetention('whenScaled=Delete'), { whenScaled: 'Delete', whenDeleted: 'Retain' });
  assert.deepEqual(parseRetention('whenScaled=Delete,whenDeleted=Delete'), {
    whenScaled: 'Delete',
    whenDeleted: 'Delete',
  });
  assert.throws(() => parseRetention('whenScaled=Maybe'), /invalid --retention/);
  assert.throws(() => parseRetention('onDelete=Delete'), /invalid --retention/);
});

test('policyOf: the policy the server reports, OrderedReady where it reports none', () => {
  assert.equal(policyOf({ podManagementPolicy: 'Parallel' }), 'Parallel');
  assert.equal(policyOf({ podManagementPolicy: 'OrderedReady' }), 'OrderedReady');
  assert.equal(policyOf({}), 'OrderedReady');
  assert.equal(policyOf(undefined), 'OrderedReady');
});

test('--toleration-seconds sets both NoExecute node-failure tolerations; unset leaves the cluster default', () => {
  const pods = (s: LabSettings) => renderManifests(SOURCES, s).statefulSet.spec.template.spec;
  assert.equal(pods(settings()).tolerations, undefined);
  assert.deepEqual(
    pods(settings({ tolerationSeconds: 10 })).tolerations.map((t: Loose) => [t.key, t.effect, t.tolerationSeconds]),
    [
      ['node.kubernetes.io/not-ready', 'NoExecute', 10],
      ['node.kubernetes.io/unreachable', 'NoExecute', 10],
    ],
  );
});

test("the lab's budget allows one pod unavailable, selects the lab's pods and carries the managed-by label", () => {
  const pdb = renderBudget(SOURCES, { namespace: 'ns1', statefulSet: 'web', service: 'web-headless' });
  assert.equal(pdb.metadata.name, 'web-budget');
  assert.equal(pdb.metadata.namespace, 'ns1');
  assert.equal(pdb.spec.maxUnavailable, 1);
  assert.deepEqual(pdb.spec.selector.matchLabels, { app: 'web' });
  assert.equal(pdb.metadata.labels[MANAGED_BY_LABEL], 'sts-lab');
});
