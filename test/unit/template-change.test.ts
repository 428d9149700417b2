// The update's change by hand: the partition, then the template, seen on a fake StatefulSet watch
// driven by Changes; a template changed first is named, and the commands shown are valid JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunContext } from '../../src/command-support/command.ts';
import type { HandsOn } from '../../src/command-support/hands-on.ts';
import { Changes } from '../../src/k8s/wait.ts';
import type { Lab, V1StatefulSet } from '../../src/k8s/index.ts';
import { DEFAULT_NAMES } from '../../src/lab/names.ts';
import type { GlobalOptions } from '../../src/options.ts';
import {
  changeTemplate,
  partitionKubectl,
  templateKubectl,
  type TemplateChange,
} from '../../src/lessons/updates/template-change.ts';

const n = DEFAULT_NAMES;
const CHANGE: TemplateChange = { partition: 2, stamp: 'now' };

const sts = (generation: number, partition: number, stamp: string): V1StatefulSet => ({
  metadata: { name: 'nginx-sts', generation },
  spec: {
    selector: {},
    serviceName: 'nginx-headless',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } },
    template: { metadata: { annotations: { stamp } } },
  },
});

/** A lab whose StatefulSet the "learner" changes; the lab's own patch is counted. */
function fakeLab(first: V1StatefulSet) {
  const changes = new Changes();
  const interrupt = new AbortController().signal;
  const state = { now: first, labPatches: 0 };
  const list = {
    current: () => [state.now],
    until: (cond: () => boolean, what: string | (() => string), timeoutMs: number) =>
      changes.until(cond, { timeoutMs, interrupt, what }),
    changes,
  };
  const lab = {
    names: n,
    watchStatefulSet: async () => ({ list, release: () => {} }),
    patchTemplate: async () => {
      state.labPatches++;
      return state.now;
    },
  } as unknown as Lab;
  const learner = (next: V1StatefulSet) => {
    state.now = next;
    changes.notify();
  };
  return { lab, state, learner };
}

const handsOn = (): HandsOn => ({ labDoes: false, askKey: undefined, onAsk: () => () => {}, done: [] });
const context = (h: HandsOn): RunContext => ({
  globals: { timeoutMs: 5_000 } as GlobalOptions,
  interrupt: new AbortController().signal,
  handsOn: h,
});
const tick = () => new Promise((r) => setTimeout(r, 10));

test('by hand: the partition, then the template; the StatefulSet as the learner left it is returned', async () => {
  const f = fakeLab(sts(1, 0, 'old'));
  const h = handsOn();
  const task = { title: '', output: '' };
  const changed = changeTemplate(f.lab, context(h), task, f.state.now, CHANGE, n);
  await tick();
  assert.match(task.title, /^Your turn: kubectl -n scenarios patch statefulset nginx-sts -p /);
  f.learner(sts(2, 2, 'old'));
  await tick();
  assert.equal(task.title, 'Your turn: kubectl -n scenarios rollout restart statefulset/nginx-sts');
  f.learner(sts(3, 2, 'new'));
  assert.equal((await changed).metadata?.generation, 3);
  assert.deepEqual(
    h.done.map((d) => [d.by, d.hints.length]),
    [
      ['learner', 0],
      ['learner', 0],
    ],
  );
  assert.equal(f.state.labPatches, 0);
});

test('a template changed before the partition is named, and the step still waits for the partition', async () => {
  const f = fakeLab(sts(1, 0, 'old'));
  const h = handsOn();
  const task = { title: '', output: '' };
  const changed = changeTemplate(f.lab, context(h), task, f.state.now, CHANGE, n);
  await tick();
  f.learner(sts(2, 0, 'new'));
  await tick();
  assert.match(
    task.output,
    /^not yet: the template changed before the partition was set: pods below partition 2 roll too/,
  );
  f.learner(sts(3, 2, 'new'));
  assert.equal((await changed).metadata?.generation, 3);
  assert.deepEqual(h.done[0]?.hints, [
    'the template changed before the partition was set: pods below partition 2 roll too',
  ]);
  assert.equal(h.done.length, 2, 'the template change was seen already');
});

test('without --hands-on the lab sends one patch, with no watch', async () => {
  const f = fakeLab(sts(1, 0, 'old'));
  const ctx: RunContext = { globals: { timeoutMs: 5_000 } as GlobalOptions, interrupt: new AbortController().signal };
  await changeTemplate(f.lab, ctx, { title: '' }, f.state.now, CHANGE, n);
  assert.equal(f.state.labPatches, 1);
});

test('the commands shown carry JSON the API server takes, with the names of the lab', () => {
  const body = (cmd: string) => JSON.parse(/-p '(.*)'$/.exec(cmd)?.[1] ?? 'null') as unknown;
  assert.deepEqual(body(partitionKubectl(n, { ...CHANGE, maxUnavailable: '50%' })), {
    spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2, maxUnavailable: '50%' } } },
  });
  const broken = templateKubectl(n, 'nginx', { ...CHANGE, breakReadiness: true });
  assert.match(broken, /^kubectl -n scenarios patch statefulset\/nginx-sts --type=json -p /);
  assert.equal((body(broken) as { path: string }[])[0]?.path, '/spec/template/spec/containers/0/readinessProbe');
  assert.equal(
    templateKubectl(n, 'nginx', { ...CHANGE, image: 'localhost/sts-lab-nginx:1.0' }),
    'kubectl -n scenarios set image statefulset/nginx-sts nginx=localhost/sts-lab-nginx:1.0',
  );
});
