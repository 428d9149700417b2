import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLabClaim, ownedSelector } from '../../src/lab/names.ts';

const n = { namespace: 'lab', statefulSet: 'nginx-sts', service: 'nginx-headless' };

test("only the claims of the claim template are the lab's", () => {
  assert.equal(isLabClaim(n, 'data-nginx-sts-0'), true);
  assert.equal(isLabClaim(n, 'data-nginx-sts-12'), true);
  for (const other of ['data-nginx-sts-01', 'data-other-0', 'logs-nginx-sts-0', 'nginx-sts-0', 'data-nginx-sts-x'])
    assert.equal(isLabClaim(n, other), false, other);
  assert.equal(ownedSelector(n), 'app=nginx-sts,app.kubernetes.io/managed-by=sts-lab');
});
