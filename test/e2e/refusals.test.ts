// A cluster that says no: setup must name the pod that blocks and the API's reason, fail as
// soon as waiting cannot help, and still pass when the cluster recovers by itself.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import {
  cleanEnv,
  dropNamespace,
  errorLine,
  exists,
  flat,
  IMAGE,
  kubectl,
  type Result,
  sts,
  uniqueName,
} from './harness.ts';

const apply = async (yaml: string) => {
  const r = await kubectl(['apply', '-f', '-'], yaml);
  assert.equal(r.code, 0, r.stderr);
};

/** setup in a fresh namespace, timed; the namespace goes afterwards whatever happens. */
async function timedSetup(ns: string, args: string[]): Promise<Result & { tookMs: number }> {
  after(() => dropNamespace(ns));
  const t0 = Date.now();
  const r = await sts(['-n', ns, '--progress', 'plain', 'setup', ...args]);
  return { ...r, tookMs: Date.now() - t0 };
}

describe('setup on a cluster that refuses', { concurrency: true }, () => {
  it('an image that cannot be pulled: fails within 90 s naming nginx-sts-0 and the pull error', async () => {
    const ns = uniqueName('e2e-nopull');
    const r = await timedSetup(ns, ['--image', 'localhost/sts-lab-no-such-image:1', '--replicas', '2']);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.tookMs <= 90_000, `took ${r.tookMs} ms`);
    assert.match(
      errorLine(r),
      /^error: nginx-sts-0 is not Ready: (ErrImagePull|ImagePullBackOff): .*localhost\/sts-lab-no-such-image:1.* \(waited \d+(\.\d)?s: waiting longer cannot help\)$/,
    );
    assert.match(
      flat(r.stderr),
      /hint: this cluster's nodes cannot pull "localhost\/sts-lab-no-such-image:1": pass --image/,
    );
    assert.match(
      r.stderr,
      /nginx-sts-1: not created yet, waiting for nginx-sts-0 \((ErrImagePull|ImagePullBackOff)\)/,
      'the live line names the blocking pod',
    );
    // The wait gave up because waiting could not help, not because its own timeout ran out
    // (an event from the kubelet may say "timed out" on the way: that is the cluster's word).
    assert.doesNotMatch(r.stderr, /timed out after/);
    assert.equal(await exists('pod', 'nginx-sts-1', ns), false);
  });

  // One pod allowed, two asked for, on the class that binds at once: the refusal comes a few seconds in, so
  // the bound measures the diagnosis, not how fast a loaded machine provisions volumes.
  it('a pods ResourceQuota below the replica count: fails within 30 s naming the quota', async () => {
    const ns = uniqueName('e2e-quota');
    assert.equal((await kubectl(['create', 'namespace', ns])).code, 0);
    await apply(
      `apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: one-pod, namespace: ${ns}}\nspec: {hard: {pods: "1"}}\n`,
    );
    const r = await timedSetup(ns, ['--image', IMAGE, '--replicas', '2', '--storage-class', 'shared-hostpath']);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.tookMs <= 30_000, `took ${r.tookMs} ms`);
    assert.match(errorLine(r), /^error: nginx-sts-1 cannot be created: FailedCreate: .*exceeded quota: one-pod/);
    assert.match(r.stderr, new RegExp(`^hint: the ResourceQuota "one-pod" in namespace "${ns}" is full`, 'm'));
  });

  it('a namespace that enforces Pod Security "restricted": fails within 30 s naming PodSecurity', async () => {
    const ns = uniqueName('e2e-pss');
    assert.equal((await kubectl(['create', 'namespace', ns])).code, 0);
    assert.equal((await kubectl(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted'])).code, 0);
    const r = await timedSetup(ns, ['--image', IMAGE]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.tookMs <= 30_000, `took ${r.tookMs} ms`);
    assert.match(
      errorLine(r),
      /^error: nginx-sts-0 cannot be created: FailedCreate: .*violates PodSecurity "restricted:latest"/,
    );
    assert.match(
      flat(r.stderr),
      /hint: namespace "e2e-pss-\w+" enforces Pod Security "restricted:latest" \(label pod-security\.kubernetes\.io\/enforce\)/,
    );
  });

  it('a StorageClass whose provisioner does not exist: fails naming the claim and the reason', async () => {
    const ns = uniqueName('e2e-noprov');
    const sc = uniqueName('e2e-noprov-class');
    after(() => kubectl(['delete', 'storageclass', sc, '--ignore-not-found']));
    await apply(
      `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: ${sc}}\nprovisioner: example.com/none\nvolumeBindingMode: Immediate\n`,
    );
    const r = await timedSetup(ns, ['--image', IMAGE, '--replicas', '1', '--storage-class', sc]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.tookMs <= 180_000, `took ${r.tookMs} ms`);
    assert.match(
      errorLine(r),
      /^error: nginx-sts-0 is not Ready: claim Pending: claim data-nginx-sts-0 is Pending and no provisioner has taken it up: .*example\.com\/none/,
    );
    assert.match(
      flat(r.stderr),
      /hint: no provisioner "example\.com\/none" answers in this cluster: pass --storage-class/,
    );
  });

  it('a claim bound late recovers by itself: setup waits and passes', async () => {
    const ns = uniqueName('e2e-late');
    const sc = uniqueName('e2e-manual-class');
    const pv = `${ns}-pv`;
    // The namespace (and so the claim) goes first: a PV still bound to a claim is not deleted.
    after(async () => {
      await dropNamespace(ns);
      await kubectl(['delete', `persistentvolume/${pv}`, `storageclass/${sc}`, '--ignore-not-found', '--timeout=60s']);
      rmSync(`/tmp/${pv}`, { recursive: true, force: true });
    });
    await apply(
      `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: ${sc}}\nprovisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: Immediate\n`,
    );
    // setup starts; once its wait says why it waits, the volume an admin provides appears, pre-bound to the claim.
    // The claim's events are watched from the start: the reason may already quote one.
    const PENDING = /nginx-sts-0: Pending: claim Pending \(/;
    let stderr = '';
    const running = new Promise<Result>((done) => {
      const child = spawn(
        'kubectl',
        [
          'sts-lab',
          '-n',
          ns,
          '--progress',
          'plain',
          '-o',
          'wide',
          'setup',
          '--image',
          IMAGE,
          '--replicas',
          '1',
          '--storage-class',
          sc,
        ],
        { env: cleanEnv() },
      );
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    // A fixed delay raced a slow machine (setup could reach its wait after the volume was there).
    for (const t0 = Date.now(); !PENDING.test(stderr); await new Promise((r) => setTimeout(r, 200))) {
      assert.ok(Date.now() - t0 < 60_000, `the wait never said why it waited:\n${stderr}`);
    }
    await apply(
      `apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: ${pv}}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: ${sc}\n  persistentVolumeReclaimPolicy: Retain\n  hostPath: {path: /tmp/${pv}, type: DirectoryOrCreate}\n  claimRef: {namespace: ${ns}, name: data-nginx-sts-0}\n`,
    );
    const r = await running;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`data-nginx-sts-0\\s+Bound\\s+${pv}`));
  });
});
