import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LAB_PERMISSIONS, ruleAllows, type Permission } from '../../src/lab/permissions.ts';

const exec: Permission = { verb: 'create', resource: 'pods', subresource: 'exec' };
const scale: Permission = { verb: 'patch', resource: 'statefulsets', group: 'apps', subresource: 'scale' };
const createSts: Permission = { verb: 'create', resource: 'statefulsets', group: 'apps' };

test('a wildcard rule (cluster-admin) grants every lab permission', () => {
  const admin = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };
  for (const p of LAB_PERMISSIONS) assert.ok(ruleAllows(admin, p), JSON.stringify(p));
});

test('verb, group and resource must each match', () => {
  assert.ok(ruleAllows({ verbs: ['create'], apiGroups: ['apps'], resources: ['statefulsets'] }, createSts));
  assert.ok(!ruleAllows({ verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['statefulsets'] }, createSts));
  assert.ok(!ruleAllows({ verbs: ['create'], apiGroups: [''], resources: ['statefulsets'] }, createSts));
  assert.ok(!ruleAllows({ verbs: ['create'], apiGroups: ['apps'], resources: ['deployments'] }, createSts));
});

test('a subresource needs its own grant: the resource alone is not enough', () => {
  assert.ok(!ruleAllows({ verbs: ['create'], apiGroups: [''], resources: ['pods'] }, exec));
  assert.ok(ruleAllows({ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }, exec));
  assert.ok(ruleAllows({ verbs: ['patch'], apiGroups: ['apps'], resources: ['*/scale'] }, scale));
  assert.ok(!ruleAllows({ verbs: ['patch'], apiGroups: ['apps'], resources: ['*/status'] }, scale));
});

test('a rule limited to named objects does not grant the lab its creates and lists', () => {
  assert.ok(
    !ruleAllows(
      { verbs: ['create'], apiGroups: ['apps'], resources: ['statefulsets'], resourceNames: ['nginx-sts'] },
      createSts,
    ),
  );
});
