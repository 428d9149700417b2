import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasReadinessSwitch, switchState, switchVerdict, UNREADY_FILE } from '../../src/lab/readiness.ts';

const state = (ready: boolean, over: Partial<ReturnType<typeof switchState>> = {}) => ({
  uid: 'u1',
  ready,
  restarts: 0,
  running: true,
  ...over,
});

test('the switch is recognised by its file in the readiness probe; a tcpSocket probe is not it', () => {
  assert.ok(
    hasReadinessSwitch({
      containers: [{ readinessProbe: { exec: { command: ['sh', '-c', `test ! -e ${UNREADY_FILE}`] } } }],
    }),
  );
  assert.equal(hasReadinessSwitch({ containers: [{ readinessProbe: {} }] }), false);
  assert.equal(hasReadinessSwitch(undefined), false);
});

test('switchState reads readiness, restarts and whether the container runs from the pod', () => {
  const pod = {
    metadata: { uid: 'u1' },
    status: {
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ restartCount: 2, state: { running: {} } }],
    },
  };
  assert.deepEqual(switchState(pod as never), { uid: 'u1', ready: false, restarts: 2, running: true });
});

test('the switch verdict passes only when readiness moved and nothing else did', () => {
  assert.equal(switchVerdict('web-1', false, state(true), state(false)).result, 'PASS');
  assert.match(switchVerdict('web-1', false, state(false), state(false)).checks[0]!.detail, /it already was/);
  assert.equal(switchVerdict('web-1', false, state(true), state(true)).result, 'FAIL', 'still Ready');
  const restarted = switchVerdict('web-1', false, state(true), state(false, { restarts: 1 }));
  assert.equal(restarted.result, 'FAIL');
  assert.match(restarted.why.join('\n'), /restarts 0 → 1/);
  assert.match(
    switchVerdict('web-1', true, state(false), state(true, { uid: 'u2' })).why.join('\n'),
    /the pod was replaced \(UID u1 → u2\)/,
  );
});
