import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  NO_PROVISIONER_GRACE_MS,
  findStall,
  PROBE_GRACE_MS,
  PULL_GRACE_MS,
  stallSentence,
  StallClock,
  UNSCHEDULABLE_GRACE_MS,
  type EventLike,
  type LabSnapshot,
} from '../../src/lab/diagnosis.ts';
import type { PodLike } from '../../src/lab/pods.ts';

const names = { namespace: 'lab', statefulSet: 'nginx-sts', service: 'nginx-headless' };
const ready = (i: number): PodLike => ({
  metadata: { name: `nginx-sts-${i}`, uid: `u${i}` },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'True' },
    ],
  },
});
const waiting = (i: number, reason: string, message = '', restartCount = 0): PodLike => ({
  metadata: { name: `nginx-sts-${i}`, uid: `u${i}` },
  status: {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'True' }],
    containerStatuses: [{ restartCount, state: { waiting: { reason, message } } }],
  },
});
const bound = (i: number) => ({ metadata: { name: `data-nginx-sts-${i}`, uid: `c${i}` }, status: { phase: 'Bound' } });
const ev = (
  kind: string,
  name: string,
  uid: string,
  reason: string,
  message: string,
  at: string,
  type = 'Warning',
): EventLike => ({
  type,
  reason,
  message,
  involvedObject: { kind, name, uid },
  lastTimestamp: at,
});
const snap = (over: Partial<LabSnapshot>): LabSnapshot => ({
  names,
  policy: 'OrderedReady',
  start: 0,
  wanted: [0, 1, 2],
  pods: new Map(),
  claims: [0, 1, 2].map(bound),
  events: [],
  ...over,
});

test("an image that cannot be pulled: the lowest pod blocks, in the kubelet's words, with a hint", () => {
  const pull =
    'Failed to pull image "localhost/nope:1": failed to resolve reference "localhost/nope:1": connection refused';
  const s = findStall(
    snap({
      pods: new Map([
        [
          0,
          {
            ...waiting(0, 'ImagePullBackOff', 'Back-off pulling image "localhost/nope:1"'),
            spec: { containers: [{ image: 'localhost/nope:1' }] },
          },
        ],
      ]),
      events: [
        ev('Pod', 'nginx-sts-0', 'u0', 'Failed', pull, '2026-12-01T10:00:00Z'),
        ev('Pod', 'nginx-sts-0', 'old', 'Failed', 'Failed to pull image "older"', '2026-12-01T10:00:05Z'),
      ],
    }),
  )!;
  assert.equal(s.pod, 'nginx-sts-0');
  assert.equal(s.reason, 'ImagePullBackOff');
  assert.equal(s.detail, pull, 'the event of this pod, not one of an earlier pod of the same name');
  assert.equal(s.graceMs, PULL_GRACE_MS);
  assert.match(s.hint!, /--image/);
  assert.match(s.hint!, /localhost\/nope:1/);
  assert.equal(stallSentence(s), `nginx-sts-0 is not Ready: ImagePullBackOff: ${pull}`);
});

test('a ResourceQuota refusing the third pod: nginx-sts-2 cannot be created, at once, naming the quota', () => {
  const msg =
    'create Pod nginx-sts-2 in StatefulSet nginx-sts failed error: pods "nginx-sts-2" is forbidden: exceeded quota: two-pods, requested: pods=1, used: pods=2, limited: pods=2';
  const s = findStall(
    snap({
      pods: new Map([
        [0, ready(0)],
        [1, ready(1)],
      ]),
      events: [ev('StatefulSet', 'nginx-sts', 's', 'FailedCreate', msg, '2026-12-01T10:00:00Z')],
    }),
  )!;
  assert.equal(s.pod, 'nginx-sts-2');
  assert.equal(s.state, 'cannot be created');
  assert.equal(s.graceMs, 0);
  assert.match(s.hint!, /ResourceQuota "two-pods" in namespace "lab"/);
});

test('FailedCreate: Pod Security and webhooks fail at once; a later SuccessfulCreate clears it; nginx-sts-1 is not nginx-sts-10', () => {
  const pss =
    'create Pod nginx-sts-0 in StatefulSet nginx-sts failed error: pods "nginx-sts-0" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true';
  const s = findStall(
    snap({ events: [ev('StatefulSet', 'nginx-sts', 's', 'FailedCreate', pss, '2026-12-01T10:00:00Z')] }),
  )!;
  assert.equal(s.graceMs, 0);
  assert.match(s.hint!, /enforces Pod Security "restricted:latest"/);
  const hook =
    'create Pod nginx-sts-0 in StatefulSet nginx-sts failed error: admission webhook "deny.example.com" denied the request: no';
  assert.match(
    findStall(snap({ events: [ev('StatefulSet', 'nginx-sts', 's', 'FailedCreate', hook, '2026-12-01T10:00:00Z')] }))!
      .hint!,
    /deny\.example\.com/,
  );
  const later = findStall(
    snap({
      events: [
        ev('StatefulSet', 'nginx-sts', 's', 'FailedCreate', pss, '2026-12-01T10:00:00Z'),
        ev(
          'StatefulSet',
          'nginx-sts',
          's',
          'SuccessfulCreate',
          'create Pod nginx-sts-0 in StatefulSet nginx-sts successful',
          '2026-12-01T10:00:09Z',
          'Normal',
        ),
      ],
    }),
  )!;
  assert.equal(later.reason, 'not created yet');
  const claimMade = findStall(
    snap({
      events: [
        ev(
          'StatefulSet',
          'nginx-sts',
          's',
          'SuccessfulCreate',
          'create Claim data-nginx-sts-0 Pod nginx-sts-0 in StatefulSet nginx-sts success',
          '2026-12-01T10:00:00Z',
          'Normal',
        ),
        ev('StatefulSet', 'nginx-sts', 's', 'FailedCreate', pss, '2026-12-01T10:00:00Z'),
      ],
    }),
  )!;
  assert.equal(
    claimMade.reason,
    'FailedCreate',
    'creating the claim is not creating the pod, and a tie goes to the failure',
  );
  const ten = findStall(
    snap({
      wanted: [1],
      pods: new Map([[0, ready(0)]]),
      events: [
        ev(
          'StatefulSet',
          'nginx-sts',
          's',
          'FailedCreate',
          'create Pod nginx-sts-10 in StatefulSet nginx-sts failed error: pods "nginx-sts-10" is forbidden: x',
          '2026-12-01T10:00:00Z',
        ),
      ],
    }),
  )!;
  assert.equal(ten.reason, 'not created yet');
});

// The StatefulSet controller's event text: "create Pod …" up to 1.34, "Create Pod …" from 1.35 (cases.Title).
for (const [versions, verb] of [
  ['1.34', 'create'],
  ['1.35 and later', 'Create'],
] as const) {
  test(`events in the words of ${versions} ("${verb} Pod …"): a later successful create supersedes an older FailedCreate`, () => {
    const quota = ev(
      'StatefulSet',
      'nginx-sts',
      's',
      'FailedCreate',
      `${verb} Pod nginx-sts-2 in StatefulSet nginx-sts failed error: pods "nginx-sts-2" is forbidden: exceeded quota: two-pods`,
      '2026-12-01T10:00:00Z',
    );
    const created = ev(
      'StatefulSet',
      'nginx-sts',
      's',
      'SuccessfulCreate',
      `${verb} Pod nginx-sts-2 in StatefulSet nginx-sts successful`,
      '2026-12-01T10:05:00Z',
      'Normal',
    );
    const claim = ev(
      'StatefulSet',
      'nginx-sts',
      's',
      'SuccessfulCreate',
      `${verb} Claim data-nginx-sts-2 Pod nginx-sts-2 in StatefulSet nginx-sts success`,
      '2026-12-01T10:05:00Z',
      'Normal',
    );
    const terminating = {
      ...ready(2),
      metadata: { name: 'nginx-sts-2', uid: 'u2', deletionTimestamp: '2026-12-01T10:09:00Z' },
    };
    const pods = new Map([
      [0, ready(0)],
      [1, ready(1)],
      [2, terminating],
    ]);
    const replaced = findStall(snap({ pods, events: [quota, created] }))!;
    assert.equal(
      replaced.reason,
      'Terminating',
      'the quota let nginx-sts-2 be created since: it is being replaced, not refused',
    );
    assert.equal(
      findStall(
        snap({
          pods: new Map([
            [0, ready(0)],
            [1, ready(1)],
          ]),
          events: [quota, created],
        }),
      )!.reason,
      'not created yet',
    );
    assert.equal(
      findStall(snap({ pods, events: [quota, claim] }))!.reason,
      'FailedCreate',
      'creating the claim is not creating the pod',
    );
  });
}

test("a claim no provisioner takes up is named, with the provisioner's absence as the reason", () => {
  const pending = {
    ...waiting(0, 'ContainerCreating'),
    status: {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'False', message: 'pod has unbound immediate PersistentVolumeClaims' },
      ],
    },
  };
  const claims = [{ metadata: { name: 'data-nginx-sts-0', uid: 'c0' }, status: { phase: 'Pending' } }];
  const external = ev(
    'PersistentVolumeClaim',
    'data-nginx-sts-0',
    'c0',
    'ExternalProvisioning',
    "Waiting for a volume to be created either by the external provisioner 'example.com/none'",
    '2026-12-01T10:00:00Z',
    'Normal',
  );
  const s = findStall(snap({ pods: new Map([[0, pending]]), claims, events: [external] }))!;
  assert.equal(s.reason, 'claim Pending');
  assert.match(s.detail, /claim data-nginx-sts-0 is Pending and no provisioner has taken it up: .*example\.com\/none/);
  assert.equal(s.graceMs, NO_PROVISIONER_GRACE_MS);
  const working = findStall(
    snap({
      pods: new Map([[0, pending]]),
      claims,
      events: [
        external,
        ev(
          'PersistentVolumeClaim',
          'data-nginx-sts-0',
          'c0',
          'Provisioning',
          'External provisioner is provisioning volume',
          '2026-12-01T10:00:01Z',
          'Normal',
        ),
      ],
    }),
  )!;
  assert.doesNotMatch(working.detail, /no provisioner/);
  const failed = findStall(
    snap({
      pods: new Map([[0, pending]]),
      claims,
      events: [
        ev(
          'PersistentVolumeClaim',
          'data-nginx-sts-0',
          'c0',
          'ProvisioningFailed',
          'storageclass "gold" not found',
          '2026-12-01T10:00:01Z',
        ),
      ],
    }),
  )!;
  assert.match(failed.detail, /ProvisioningFailed: storageclass "gold" not found/);
});

test("a claim queued behind the lab's other claims at a provisioner that answers is a wait, not a missing provisioner", () => {
  const pending = {
    ...waiting(1, 'ContainerCreating'),
    status: {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', message: 'waiting for volume' }],
    },
  };
  const claims = [{ metadata: { name: 'data-nginx-sts-1', uid: 'c1' }, status: { phase: 'Pending' } }];
  const external = ev(
    'PersistentVolumeClaim',
    'data-nginx-sts-1',
    'c1',
    'ExternalProvisioning',
    "Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path'",
    '2026-12-01T10:00:00Z',
    'Normal',
  );
  const other = ev(
    'PersistentVolumeClaim',
    'data-nginx-sts-0',
    'c0',
    'ProvisioningSucceeded',
    'Successfully provisioned volume pvc-0',
    '2026-12-01T10:00:05Z',
    'Normal',
  );
  const queued = findStall(
    snap({ policy: 'Parallel', wanted: [1], pods: new Map([[1, pending]]), claims, events: [external, other] }),
  )!;
  assert.match(
    queued.detail,
    /waiting for the provisioner "rancher\.io\/local-path", which is making the volumes of the lab's other claims/,
  );
  assert.equal(queued.graceMs, undefined, 'waiting can help: never given up before --timeout');
  const alone = findStall(
    snap({ policy: 'Parallel', wanted: [1], pods: new Map([[1, pending]]), claims, events: [external] }),
  )!;
  assert.match(alone.detail, /no provisioner has taken it up/);
});

test("unschedulable with its claim bound: the scheduler's message, after a short grace", () => {
  const pod = {
    metadata: { name: 'nginx-sts-0', uid: 'u0' },
    status: {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'False', message: '0/1 nodes are available: 1 Insufficient memory.' },
      ],
    },
  };
  const s = findStall(snap({ pods: new Map([[0, pod]]) }))!;
  assert.equal(s.reason, 'Unschedulable');
  assert.equal(s.detail, '0/1 nodes are available: 1 Insufficient memory.');
  assert.equal(s.graceMs, UNSCHEDULABLE_GRACE_MS);
});

test('CrashLoopBackOff: waits through the first restarts, then fails with the log tail', () => {
  const first = findStall(snap({ pods: new Map([[0, waiting(0, 'CrashLoopBackOff', 'back-off 10s', 1)]]) }))!;
  assert.equal(first.graceMs, undefined);
  const third = findStall(
    snap({
      pods: new Map([[0, waiting(0, 'CrashLoopBackOff', 'back-off 40s', 3)]]),
      logTails: new Map([['u0', 'a\nnginx: [emerg] bad config\n']]),
    }),
  )!;
  assert.equal(third.graceMs, 0);
  assert.match(third.detail, /restarted 3 times; last log lines: a \| nginx: \[emerg\] bad config/);
});

test('running but not Ready: a failing readiness probe has a grace; no probe failure yet, no deadline', () => {
  const pod = { ...ready(0), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } };
  const s = findStall(
    snap({
      pods: new Map([[0, pod]]),
      events: [
        ev(
          'Pod',
          'nginx-sts-0',
          'u0',
          'Unhealthy',
          'Readiness probe failed: dial tcp 10.0.0.1:80: connection refused',
          '2026-12-01T10:00:00Z',
        ),
      ],
    }),
  )!;
  assert.equal(s.reason, 'Running, not Ready');
  assert.match(s.detail, /Readiness probe failed/);
  assert.equal(s.graceMs, PROBE_GRACE_MS);
  const quiet = findStall(snap({ pods: new Map([[0, pod]]) }))!;
  assert.equal(quiet.detail, 'its readiness probe has not passed yet');
  assert.equal(quiet.graceMs, undefined);
});

test('scaling 3→5 waits on a lower pod that is not Ready; Parallel picks the pod that is really stuck; all Ready is no stall', () => {
  const up = findStall(
    snap({
      wanted: [3, 4],
      pods: new Map([
        [0, ready(0)],
        [1, waiting(1, 'CrashLoopBackOff', '', 1)],
        [2, ready(2)],
      ]),
    }),
  )!;
  assert.equal(up.pod, 'nginx-sts-1');
  const parallel = findStall(
    snap({
      policy: 'Parallel',
      pods: new Map([
        [0, waiting(0, 'ContainerCreating')],
        [2, waiting(2, 'ErrImagePull')],
      ]),
    }),
  )!;
  assert.equal(parallel.pod, 'nginx-sts-2');
  assert.equal(
    findStall(
      snap({
        pods: new Map([
          [0, ready(0)],
          [1, ready(1)],
          [2, ready(2)],
        ]),
      }),
    ),
    undefined,
  );
});

test('ordinals from 5: no pod below the start blocks; the lowest unready one at or above it does', () => {
  const shifted = (pods: [number, PodLike][]) =>
    findStall(snap({ start: 5, wanted: [7], pods: new Map(pods), claims: [5, 6, 7].map(bound) }));
  assert.equal(
    shifted([
      [5, ready(5)],
      [6, ready(6)],
    ])?.pod,
    'nginx-sts-7',
    'the wanted pod itself, not a missing nginx-sts-0',
  );
  assert.equal(
    shifted([
      [5, ready(5)],
      [6, waiting(6, 'ContainerCreating')],
    ])?.pod,
    'nginx-sts-6',
  );
});

test('the clock measures a condition from when it was first seen, and a new condition starts again', () => {
  const clock = new StallClock();
  const s = findStall(snap({ pods: new Map([[0, waiting(0, 'ErrImagePull')]]) }))!;
  assert.equal(clock.deadline(s, 1000), 1000 + PULL_GRACE_MS);
  assert.equal(clock.deadline(s, 20_000), 1000 + PULL_GRACE_MS);
  assert.equal(clock.age(s, 20_000), 19_000);
  const other = { ...s, key: 'pull:another-uid' };
  assert.equal(clock.deadline(other, 30_000), 30_000 + PULL_GRACE_MS);
  assert.equal(clock.deadline({ ...s, key: 'x', graceMs: undefined }, 30_000), undefined);
});
