import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathOf } from '../../src/k8s/paths.ts';

test('a namespaced collection, one object and its subresource, as the API server names them', () => {
  assert.equal(pathOf('core', 'pods', 'scenarios'), '/api/v1/namespaces/scenarios/pods');
  assert.equal(
    pathOf('core', 'pods', 'scenarios', 'nginx-sts-0', 'log'),
    '/api/v1/namespaces/scenarios/pods/nginx-sts-0/log',
  );
  assert.equal(
    pathOf('apps', 'statefulsets', 'scenarios', 'nginx-sts', 'scale'),
    '/apis/apps/v1/namespaces/scenarios/statefulsets/nginx-sts/scale',
  );
});

test('cluster-scoped resources have no namespace segment; each group has its own prefix', () => {
  assert.equal(pathOf('core', 'namespaces', undefined, 'scenarios'), '/api/v1/namespaces/scenarios');
  assert.equal(pathOf('storage', 'storageclasses'), '/apis/storage.k8s.io/v1/storageclasses');
  assert.equal(
    pathOf('authorization', 'selfsubjectrulesreviews'),
    '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
  );
  assert.equal(pathOf('discovery', 'endpointslices', 'ns'), '/apis/discovery.k8s.io/v1/namespaces/ns/endpointslices');
});

test('a segment is escaped, so a name cannot reach another path', () => {
  assert.equal(pathOf('core', 'configmaps', 'ns', '../secrets'), '/api/v1/namespaces/ns/configmaps/..%2Fsecrets');
});
