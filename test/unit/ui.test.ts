import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { decideColor } from '../../src/ui/color.ts';
import { formatReport, type Report } from '../../src/ui/output.ts';
import { renderTable } from '../../src/ui/table.ts';
import { chooseRenderer } from '../../src/ui/tasks.ts';

const report: Report = {
  ok: true,
  data: { pods: [{ ordinal: 0, pod: 'nginx-sts-0' }] },
  sections: [
    {
      headers: ['ordinal', 'pod'],
      rows: [
        ['0', 'nginx-sts-0'],
        ['10', 'nginx-sts-10'],
      ],
    },
  ],
  notes: ['PASS ordered'],
};

test('tables are borderless, kubectl-like, and --no-headers drops the header row', () => {
  const text = renderTable(report.sections[0]!, false);
  assert.equal(text, 'ORDINAL  POD\n0        nginx-sts-0\n10       nginx-sts-10');
  assert.equal(renderTable(report.sections[0]!, true), '0   nginx-sts-0\n10  nginx-sts-10');
  assert.doesNotMatch(text, /\x1b\[/, 'no ANSI colour from cli-table3');
});

test('json and yaml print the data only; table mode adds the notes', async () => {
  assert.deepEqual(JSON.parse(await formatReport(report, 'json', false, 80)), report.data);
  assert.deepEqual(parse(await formatReport(report, 'yaml', false, 80)), report.data);
  assert.match(await formatReport(report, 'table', false, 80), /nginx-sts-10\n\nPASS ordered\n$/);
});

test('colour: never when piped or NO_COLOR, always wins', () => {
  assert.equal(decideColor('auto', {}, true), true);
  assert.equal(decideColor('auto', {}, false), false);
  assert.equal(decideColor('auto', { NO_COLOR: '1' }, true), false);
  assert.equal(decideColor('always', { NO_COLOR: '1' }, false), true);
  assert.equal(decideColor('never', {}, true), false);
});

test('progress renderer: live only on a real terminal outside CI', () => {
  assert.equal(chooseRenderer('auto', {}, { isTTY: true, columns: 120 }), 'default');
  assert.equal(chooseRenderer('auto', { CI: 'true' }, { isTTY: true, columns: 120 }), 'simple');
  assert.equal(chooseRenderer('auto', {}, { isTTY: false }), 'simple');
  assert.equal(chooseRenderer('auto', {}, { isTTY: true, columns: 0 }), 'simple');
  assert.equal(chooseRenderer('plain', {}, { isTTY: true, columns: 120 }), 'simple');
  assert.equal(chooseRenderer('none', {}, { isTTY: true, columns: 120 }), 'silent');
});

test('the timeline chart is drawn under the tables in table mode only: not in json, yaml or --no-headers', async () => {
  const chart = {
    title: 'Scale 0 → 1',
    origin: 0,
    end: 2000,
    rows: [
      {
        ordinal: 0,
        pod: 'web-0',
        segments: [
          { phase: 'pending' as const, from: 0, to: 1000, uid: 'a' },
          { phase: 'ready' as const, from: 1000, to: 2000, uid: 'a' },
        ],
      },
    ],
  };
  const report: Report = {
    ok: true,
    data: { a: 1 },
    sections: [{ headers: ['pod'], rows: [['web-0']] }],
    chart,
    notes: ['PASS'],
  };
  assert.match(
    await formatReport(report, 'table', false, 80),
    /^POD\nweb-0\n\nScale 0 → 1\nweb-0 │░+█+\n[\s\S]*\n\nPASS\n$/,
  );
  for (const out of [
    await formatReport(report, 'json', false, 80),
    await formatReport(report, 'yaml', false, 80),
    await formatReport(report, 'table', true, 80),
  ])
    assert.doesNotMatch(out, /[░█│]|Scale 0/);
});
