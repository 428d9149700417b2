// Scaling halts on an unhealthy pod (OrderedReady), proved on the real cluster: with nginx-sts-1
// unready, scale-up creates nothing above it and scale-down removes nothing; ready 1 lets the
// controller go on, in order. Parallel does not halt.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { dropNamespace, IMAGE, kubectlJson, sts, stsJson, uniqueName } from './harness.ts';

const ns = uniqueName('e2e-halts');
const par = uniqueName('e2e-halts-par');
after(() => Promise.all([dropNamespace(ns), dropNamespace(par)]));
const podNames = async (namespace: string) =>
  (
    (await kubectlJson(['get', 'pods', '-n', namespace, '-l', 'app=nginx-sts'])).items as {
      metadata: { name: string };
    }[]
  )
    .map((p) => p.metadata.name)
    .sort();
const scaleJson = async (namespace: string, replicas: number) => {
  const r = await sts(['-n', namespace, '--progress', 'none', 'scale', String(replicas), '-o', 'json']);
  return { code: r.code, out: JSON.parse(r.stdout) };
};

test('OrderedReady: an unready pod halts scaling both ways; ready lets the controller go on in order', async (t) => {
  const flags = ['-n', ns, '--progress', 'none'];
  await stsJson([...flags, 'setup', '--image', IMAGE]);
  await stsJson([...flags, 'unready', '1']);

  await t.test(
    'scale 5 with nginx-sts-1 unready: FAIL, halted at nginx-sts-1, nginx-sts-3 and 4 never created',
    async () => {
      const { code, out } = await scaleJson(ns, 5);
      assert.equal(code, 1);
      assert.equal(out.halted.pod, 'nginx-sts-1');
      assert.match(out.halted.detail, /sts-lab readiness switch is off/);
      assert.match(
        out.verdict.headline,
        /^Scale-up halted: nothing created for \d+\.\ds, the controller waits for nginx-sts-1/,
      );
      assert.deepEqual(
        out.verdict.checks.map((c: { ordinal: number; ok: boolean }) => [c.ordinal, c.ok]),
        [
          [3, true],
          [4, true],
        ],
      );
      assert.equal(out.claimsVerdict.result, 'N/A');
      assert.deepEqual(await podNames(ns), ['nginx-sts-0', 'nginx-sts-1', 'nginx-sts-2']);
    },
  );

  await t.test('ready 1: the controller creates nginx-sts-3, then nginx-sts-4', async () => {
    const out = await stsJson([...flags, 'ready', '1']);
    assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
    assert.deepEqual(out.resumed, ['nginx-sts-3', 'nginx-sts-4']);
    assert.deepEqual(await podNames(ns), ['nginx-sts-0', 'nginx-sts-1', 'nginx-sts-2', 'nginx-sts-3', 'nginx-sts-4']);
  });

  await t.test(
    'scale 2 with nginx-sts-1 unready: halted, nothing removed; ready 1: 4, 3, 2 go, highest first',
    async () => {
      await stsJson([...flags, 'unready', '1']);
      const { code, out } = await scaleJson(ns, 2);
      assert.equal(code, 1);
      assert.match(
        out.verdict.headline,
        /^Scale-down halted: nothing removed for \d+\.\ds, the controller waits for nginx-sts-1/,
      );
      assert.deepEqual(out.deletionOrder, []);
      assert.equal((await podNames(ns)).length, 5);
      const ready = await stsJson([...flags, 'ready', '1']);
      assert.equal(ready.verdict.result, 'PASS', ready.verdict.why.join('\n'));
      assert.deepEqual(ready.removed, ['nginx-sts-4', 'nginx-sts-3', 'nginx-sts-2']);
      assert.deepEqual(await podNames(ns), ['nginx-sts-0', 'nginx-sts-1']);
    },
  );
});

test('Parallel: an unready pod does not halt a scale-up, and the verdict says so', async () => {
  const flags = ['-n', par, '--progress', 'none'];
  await stsJson([...flags, 'setup', '--image', IMAGE, '--parallel']);
  await stsJson([...flags, 'unready', '1']);
  const { code, out } = await scaleJson(par, 5);
  assert.equal(code, 0);
  assert.equal(out.halted, null);
  assert.match(
    out.verdict.why.join('\n'),
    /Parallel does not halt: created nginx-sts-3, nginx-sts-4 while nginx-sts-1 was not Ready/,
  );
  assert.equal((await podNames(par)).length, 5);
});
