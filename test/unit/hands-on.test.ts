// perform(): who does a command's action, against a fake watch driven by Changes, the same
// wake-up the real watches use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunContext } from '../../src/command-support/command.ts';
import { perform, type Action, type HandsOn } from '../../src/command-support/hands-on.ts';
import { Changes } from '../../src/k8s/wait.ts';
import type { GlobalOptions } from '../../src/options.ts';

const KUBECTL = 'kubectl -n scenarios scale statefulset nginx-sts --replicas=5';

/** A StatefulSet's replicas, changed by the "learner"; the action waits to see 5. */
function scaleAction(timeoutMs = 5_000) {
  const changes = new Changes();
  const state = { replicas: 3, labCalls: 0 };
  const interrupt = new AbortController().signal;
  const action: Action = {
    kubectl: KUBECTL,
    awaiting: 'spec.replicas 5',
    byLab: async () => {
      state.labCalls++;
      state.replicas = 5;
    },
    watch: { until: (cond, what, ms) => changes.until(cond, { timeoutMs: ms, interrupt, what }), changes },
    seen: () => state.replicas === 5,
    wrong: () => (state.replicas !== 3 ? `replicas is ${state.replicas}, and this step scales to 5` : undefined),
  };
  const learnerSets = (n: number) => {
    state.replicas = n;
    changes.notify();
  };
  return { action, state, learnerSets, ctx: (handsOn?: HandsOn) => context(handsOn, timeoutMs) };
}

const context = (handsOn: HandsOn | undefined, timeoutMs: number): RunContext => ({
  globals: { timeoutMs } as GlobalOptions,
  interrupt: new AbortController().signal,
  handsOn,
});

function handsOn(labDoes = false) {
  const asks = new Set<() => void>();
  const h: HandsOn = {
    labDoes,
    askKey: 'd',
    onAsk: (cb) => (asks.add(cb), () => asks.delete(cb)),
    done: [],
  };
  return { h, press: () => [...asks].forEach((cb) => cb()), listening: () => asks.size };
}

test('without --hands-on the lab does the action and nothing is recorded', async () => {
  const s = scaleAction();
  const task = { title: 'Scale', output: '' };
  assert.equal(await perform(s.ctx(), task, s.action), 'lab');
  assert.equal(s.state.labCalls, 1);
  assert.equal(task.title, 'Scale');
});

test('--do-it-for-me: the lab does it, and the step records the lab', async () => {
  const s = scaleAction();
  const { h } = handsOn(true);
  const task = { title: '', output: '' };
  assert.equal(await perform(s.ctx(h), task, s.action), 'lab');
  assert.deepEqual(
    h.done.map((d) => [d.kubectl, d.by, d.hints]),
    [[KUBECTL, 'lab', []]],
  );
  assert.equal(task.title, `The lab runs: ${KUBECTL}`);
});

test('the learner does it: the lab waits, hints once at a wrong scale, and sees it done without acting', async () => {
  const s = scaleAction();
  const { h, listening } = handsOn();
  const task = { title: '', output: '' };
  const done = perform(s.ctx(h), task, s.action);
  assert.equal(task.title, `Your turn: ${KUBECTL}`);
  assert.match(task.output, /^waiting to see spec\.replicas 5 \(press d to let the lab do it\)$/);
  s.learnerSets(4);
  s.learnerSets(4);
  assert.match(task.output, /^not yet: replicas is 4, and this step scales to 5; waiting/);
  s.learnerSets(5);
  assert.equal(await done, 'learner');
  assert.equal(s.state.labCalls, 0);
  assert.equal(listening(), 0, 'the key is no longer listened to');
  assert.deepEqual(h.done[0]!.hints, ['replicas is 4, and this step scales to 5']);
  assert.equal(h.done[0]!.by, 'learner');
  assert.equal(task.title, `You ran: ${KUBECTL}`);
});

test('the key hands the step to the lab, which then does it', async () => {
  const s = scaleAction();
  const { h, press } = handsOn();
  const task = { title: '', output: '' };
  const done = perform(s.ctx(h), task, s.action);
  press();
  assert.equal(await done, 'lab');
  assert.equal(s.state.labCalls, 1);
  assert.equal(h.done[0]!.by, 'lab');
});

test('--timeout bounds the wait for the learner, and says what it waited for', async () => {
  const s = scaleAction(50);
  const { h } = handsOn();
  await assert.rejects(
    perform(s.ctx(h), { title: '', output: '' }, s.action),
    (e: Error) =>
      e.message === `timed out after 50ms waiting for you to run ${KUBECTL} (the lab waits to see spec.replicas 5)`,
  );
  assert.equal(s.state.labCalls, 0);
});
