import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation } from '../../src/lab/observation.ts';
import { phaseChart } from '../../src/ui/phases.ts';
import { renderChart } from '../../src/ui/chart.ts';

const pod = (uid: string, phase: 'Pending' | 'Running', ready = false, deleting = false) => ({
  metadata: { uid, ...(deleting ? { deletionTimestamp: '2026-12-01T10:00:00Z' } : {}) },
  status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const at = (
  ms: number,
  type: Observation['type'],
  ordinal: number,
  p: ReturnType<typeof pod>,
  initial = false,
): Observation => ({ at: ms, type, ordinal, pod: p, ...(initial ? { initial } : {}) });
const name = (o: number) => `web-${o}`;

/** web-0 was there; web-1 is created, runs, gets Ready; then web-0 is killed and re-created. */
const history: Observation[] = [
  at(0, 'add', 0, pod('a', 'Running', true), true),
  at(1000, 'add', 1, pod('b', 'Pending')),
  at(2000, 'update', 1, pod('b', 'Running')),
  at(3000, 'update', 1, pod('b', 'Running', true)),
  at(4000, 'update', 0, pod('a', 'Running', true, true)),
  at(5000, 'delete', 0, pod('a', 'Running', true, true)),
  at(5500, 'add', 0, pod('c', 'Pending')),
  at(7000, 'update', 0, pod('c', 'Running', true)),
];

test('phases are replayed per pod in commit order, one segment per phase of each instance', () => {
  const c = phaseChart('t', history, name, { end: 8000 });
  assert.equal(c.origin, 0);
  assert.equal(c.end, 8000);
  const seg = (o: number) => c.rows.find((r) => r.ordinal === o)!.segments.map((s) => [s.phase, s.from, s.to, s.uid]);
  assert.deepEqual(seg(0), [
    ['ready', 0, 4000, 'a'],
    ['terminating', 4000, 5000, 'a'],
    ['pending', 5500, 7000, 'c'],
    ['ready', 7000, 8000, 'c'],
  ]);
  assert.deepEqual(seg(1), [
    ['pending', 1000, 2000, 'b'],
    ['running', 2000, 3000, 'b'],
    ['ready', 3000, 8000, 'b'],
  ]);
});

test('the terminal chart: a row per pod, phases by glyph in time order, an axis in seconds, a legend, within the width', () => {
  const lines = renderChart(phaseChart('Kill and scale', history, name, { end: 8000 }), 60);
  assert.equal(lines[0], 'Kill and scale');
  const row = (p: string) => lines.find((l) => l.startsWith(p))!;
  assert.match(row('web-1'), /^web-1 │ +░+▒+█+$/, 'pending, running, ready from left to right');
  assert.match(row('web-0'), /^web-0 │█+╳+ *░+█+$/, 'ready, terminating, (gone), pending, ready');
  const axis = lines.findIndex((l) => /^ {6}└─+┬/.test(l));
  assert.ok(axis > 0, lines.join('\n'));
  assert.match(lines[axis + 1]!, /^ {6}0s +\d/);
  assert.match(
    lines.slice(axis + 2).join(' '),
    /░ pending\/creating {3}▒ running {3}█ ready +╳ terminating/,
    'the legend, on two lines where one does not fit',
  );
  // Inside the width at every width from 60 up, for short and long timelines, axis labels included.
  const longName = (o: number) => `a-much-longer-statefulset-name-${o}`;
  for (const podName of [name, longName])
    for (const end of [900, 8000, 95_000, 3_600_000])
      for (let columns = 60; columns <= 200; columns++) {
        const title = 'A title long enough to wrap on a narrow terminal, as the titles of some commands are';
        const drawn = renderChart(phaseChart(title, history, podName, { end }), columns);
        const over = drawn.filter((l) => [...l.replace(/\x1b\[[0-9;]*m/g, '')].length >= columns);
        assert.deepEqual(over, [], `${columns} columns, ${end} ms`);
        assert.match(
          drawn.find((l) => /^ +0s/.test(l))!,
          /\ds$/,
          'the axis ends on a label',
        );
      }
  assert.deepEqual(renderChart({ title: 'none', origin: 0, end: 0, rows: [] }, 80), []);
});
