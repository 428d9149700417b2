// What a person sees on a terminal COLUMNS wide (tmux): status, kill-pod, scale, update and a
// tour, each judged on the captured pane. Shared by fits-80 and fits-120, which run concurrently.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { misfits } from '../support/screen.ts';
import { cleanEnv, dropNamespace, IMAGE, uniqueName } from './harness.ts';

const ROWS = 60;

export function fitsTerminal(columns: number): void {
  const ns = uniqueName(`e2e-fit${columns}`);
  const tourNs = `${ns}-tour`;
  const socket = `sts-lab-${ns}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  // -J joins the lines the terminal wrapped: a line wider than the pane is one that wrapped.
  const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'fit');

  after(async () => {
    try {
      tmux('kill-server');
    } catch {
      // the server ended with its pane
    }
    await Promise.all([dropNamespace(ns), dropNamespace(tourNs)]);
  });

  /** Types one command, waits for its exit code and returns what it printed, as the pane shows it. */
  async function typed(command: string, ms = 300_000): Promise<string> {
    tmux('clear-history', '-t', 'fit');
    tmux('send-keys', '-t', 'fit', 'clear', 'Enter');
    await sleep(300);
    tmux('send-keys', '-t', 'fit', `${command}; echo "EXIT=$?"`, 'Enter');
    const end = Date.now() + ms;
    for (;;) {
      const s = screen();
      const code = /^EXIT=(\d+)$/m.exec(s);
      if (code) {
        assert.equal(Number(code[1]), 0, `${command} at ${columns} columns:\n${s}`);
        // What the command printed: the typed line (the shell's to wrap) and the marker left out.
        return s
          .split('\n')
          .filter((l) => !l.startsWith('$ ') && !l.startsWith('EXIT='))
          .join('\n');
      }
      if (Date.now() > end) throw new Error(`${command} did not end within ${ms} ms:\n${s}`);
      await sleep(500);
    }
  }

  const judge = (what: string, pane: string) =>
    assert.deepEqual(misfits(pane, columns), [], `${what} at ${columns} columns:\n${pane}`);

  test(`at ${columns} columns: status, kill-pod, scale, update and a tour fit the pane, words whole, the chart's axis inside`, async () => {
    const rc = join(tmpdir(), `${ns}.sh`);
    const env = Object.entries(cleanEnv({ TERM: 'xterm-256color' })).map(([k, v]) => `export ${k}='${v}'`);
    writeFileSync(rc, [...env, 'unset CI', "PS1='$ '", `cd "$HOME"`, ''].join('\n'));
    tmux('new-session', '-d', '-s', 'fit', '-x', String(columns), '-y', String(ROWS), `bash --rcfile ${rc} -i`);
    const sts = `kubectl sts-lab -n ${ns}`;
    judge('setup', await typed(`${sts} setup --image ${IMAGE}`));
    judge('status', await typed(`${sts} status`));
    // -o wide has the rest, as kubectl's: it may be wider than the pane.
    const wide = await typed(`${sts} status -o wide`);
    assert.match(wide, /^ORDINAL\s+POD\s+.*\bIP\s+NODE\b.*\bPV\b/m, wide);
    assert.match(wide, /\bpvc-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/, 'whole PV names');
    const killed = await typed(`${sts} kill-pod 1`);
    judge('kill-pod', killed);
    assert.match(killed, /^\s+└─+┬/m, `kill-pod draws its timeline:\n${killed}`);
    judge('scale', await typed(`${sts} scale 4`));
    judge('update', await typed(`${sts} update`));
    const tour = await typed(`kubectl sts-lab -n ${tourNs} tour --image ${IMAGE}`);
    judge('tour', tour);
    assert.match(
      tour,
      /Every StatefulSet guarantee of the scenario held on this cluster/,
      'the tour ends with its report',
    );
  });
}
