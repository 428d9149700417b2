// tour --hands-on as a learner uses it: on a real terminal (tmux), one pane runs the tour,
// a second pane types the kubectl commands it shows, one of them wrong, and the learner
// presses d once to let the lab do a step. The screen and the report must say so.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { sharesClusterDns } from './cluster-env.ts';
import { cleanEnv, dropNamespace, flat, IMAGE, uniqueName } from './harness.ts';

sharesClusterDns();

const ns = uniqueName('e2e-hands');
const socket = `sts-lab-${ns}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = (pane: string) => tmux('capture-pane', '-p', '-J', '-S', '-3000', '-t', pane);

/** Waits until the pane shows text (the live renderer redraws it in place). */
async function shows(pane: string, text: string | RegExp, ms = 120_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = screen(pane);
    if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
    if (Date.now() > end) throw new Error(`pane ${pane} never showed ${String(text)}:\n${s}`);
    await sleep(250);
  }
}

/** A pane's shell, with the test's clean environment (kubectl and the plugin on PATH, no CI). */
function shell(name: string): string {
  const rc = join(tmpdir(), `${ns}-${name}.sh`);
  const env = Object.entries(cleanEnv({ TERM: 'xterm-256color' })).map(([k, v]) => `export ${k}='${v}'`);
  writeFileSync(rc, [...env, 'unset CI', `cd "$HOME"`, ''].join('\n'));
  return rc;
}

test('tour --hands-on: the learner types each command, gets a hint for a wrong one, and the report says who did what', async () => {
  const md = join(tmpdir(), `${ns}.md`);
  after(async () => {
    try {
      tmux('kill-server');
    } catch {
      // the server ended with its panes
    }
    await dropNamespace(ns);
  });
  const tour = `kubectl sts-lab -n ${ns} tour --hands-on --image ${IMAGE} --timeout 3m --report ${md}; echo "EXIT=$?"`;
  tmux('new-session', '-d', '-s', 'lab', '-x', '120', '-y', '50', `bash --rcfile ${shell('tour')} -i`);
  tmux('split-window', '-t', 'lab', '-v', `bash --rcfile ${shell('learner')} -i`);
  const [tourPane, learner] = ['lab:0.0', 'lab:0.1'];
  const type = (pane: string, keys: string) => tmux('send-keys', '-t', pane, keys, 'Enter');
  type(tourPane, tour);

  const deleteAll = `kubectl -n ${ns} delete pods -l app=nginx-sts`;
  await shows(tourPane, `Your turn: ${deleteAll}`);
  type(learner, deleteAll);

  const kill = `kubectl -n ${ns} delete pod nginx-sts-1`;
  await shows(tourPane, `Your turn: ${kill}`);
  type(learner, kill);

  const up = `kubectl -n ${ns} scale statefulset nginx-sts --replicas=5`;
  await shows(tourPane, `Your turn: ${up}`);
  type(learner, up.replace('=5', '=4'));
  await shows(tourPane, 'not yet: replicas is 4, and this step scales to 5');
  type(learner, up);

  const down = `kubectl -n ${ns} scale statefulset nginx-sts --replicas=2`;
  await shows(tourPane, `Your turn: ${down}`);
  await shows(tourPane, 'press d to let the lab do it');
  tmux('send-keys', '-t', tourPane, 'd');

  // The teardown's scale to 0: the controller removes the pods from the top, as the learner watches.
  const zero = `kubectl -n ${ns} scale statefulset nginx-sts --replicas=0`;
  await shows(tourPane, `Your turn: ${zero}`);
  type(learner, zero);

  const end = await shows(tourPane, /EXIT=\d+/, 300_000);
  assert.match(end, /EXIT=0/, end);
  for (const ran of [deleteAll, kill, up, zero])
    assert.ok(end.includes(`You ran: ${ran}`), `screen shows "You ran: ${ran}"`);
  assert.ok(end.includes(`The lab runs: ${down}`), 'screen shows the lab doing the step d asked for');
  assert.match(screen(learner), /pod "nginx-sts-1" deleted/);

  // The tour's own table, then the Markdown report: who did each step, and the hint shown.
  // The table wraps its cells to the pane: the step's name and command continue on the next line.
  assert.match(flat(end), /2\. Observe ordered creation.*? you kubectl -n \S+ delete pods -l/);
  assert.match(flat(end), /9\. Scale down to 2 the lab kubectl -n \S+ scale statefulset nginx-sts --replicas=2/);
  const report = readFileSync(md, 'utf8');
  assert.match(report, /^# StatefulSet lab report: PASS/m);
  const doneBy = [...report.matchAll(/^\d+\. \*\*(.+?)\*\* \(\w+, [\d.]+ s, done by (you|the lab)\)/gm)].map((m) => [
    m[1],
    m[2],
  ]);
  assert.deepEqual(
    doneBy.filter(([, by]) => by === 'you').map(([step]) => step),
    [
      'Observe ordered creation: delete the pods and watch them come back 0, 1, 2',
      'Delete nginx-sts-1 and watch it come back',
      'Scale up to 5',
      'Tear everything down, claims included',
    ],
  );
  assert.deepEqual(
    doneBy.find(([step]) => step === 'Scale down to 2'),
    ['Scale down to 2', 'the lab'],
  );
  assert.ok(report.includes(`You ran \`${up}\`\n   (before that: replicas is 4, and this step scales to 5)`), report);
  assert.ok(report.includes(`The lab ran \`${down}\``), report);
});
