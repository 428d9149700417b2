// A StatefulSet sts-lab did not make: its own selector and claim template name its pods and claims.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveNames, selectorText } from '../../src/lab/foreign.ts';
import {
  appSelector,
  claimName,
  DEFAULT_NAMES,
  isLabClaim,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '../../src/lab/names.ts';

const web = { namespace: 'default', statefulSet: 'web', service: 'nginx' };
const tutorial = (templates = ['www']) => ({
  metadata: { labels: {} },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    volumeClaimTemplates: templates.map((name) => ({ metadata: { name } })),
  },
});

test('a label selector as the API takes it: labels, then expressions of every operator', () => {
  assert.equal(
    selectorText({
      matchLabels: { app: 'nginx', tier: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['a', 'b'] },
        { key: 'old', operator: 'NotIn', values: ['x'] },
        { key: 'zone', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    }),
    'app=nginx,tier=web,env in (a,b),old notin (x),zone,!legacy',
  );
});

test("the tutorial's web: pods by app=nginx, claims from template www (www-web-0), found without --claim", () => {
  const n = resolveNames(web, tutorial());
  assert.equal(appSelector(n), 'app=nginx');
  assert.equal(claimName(n, 0), 'www-web-0');
  assert.ok(isLabClaim(n, 'www-web-1'));
  assert.ok(!isLabClaim(n, 'data-web-1'));
});

test("sts-lab's own StatefulSet keeps its names: app=<name> and data", () => {
  const own = { ...tutorial(['data']), metadata: { labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } } };
  const n = resolveNames(DEFAULT_NAMES, own);
  assert.equal(n, DEFAULT_NAMES);
  assert.equal(appSelector(n), 'app=nginx-sts');
  assert.equal(claimName(n, 2), 'data-nginx-sts-2');
});

test('several claim templates need --claim; one it does not have is an error naming those it has', () => {
  assert.throws(
    () => resolveNames(web, tutorial(['www', 'logs'])),
    /has 2 claim templates \(www, logs\): name one with --claim/,
  );
  assert.equal(claimName(resolveNames({ ...web, claim: 'logs' }, tutorial(['www', 'logs'])), 0), 'logs-web-0');
  assert.throws(
    () => resolveNames({ ...web, claim: 'nope' }, tutorial()),
    /has no claim template "nope" \(it has: www\)/,
  );
});
