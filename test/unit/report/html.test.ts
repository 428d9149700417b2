import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportMarkdown, type LabReport } from '../../../src/report/lab-report.ts';
import type { PhaseChart } from '../../../src/ui/phases.ts';
import { reportHtml } from '../../../src/report/html.ts';

const report: LabReport = {
  namespace: 'scenarios',
  statefulSet: 'nginx-sts',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:01:00.000Z',
  context: 'kind-<lab>',
  server: 'https://127.0.0.1:6443',
  serverVersion: 'v1.34.4',
  cluster: null,
  timings: [],
  parts: ['seed'],
  rows: [
    {
      part: 'seed',
      concept: 'Ordered deployment',
      outcome: 'Pods created in order',
      result: 'PASS',
      evidence: 'nginx-sts-1 created <after> nginx-sts-0',
    },
    { part: 'end', concept: 'Cleanup', outcome: 'gone', result: 'FAIL', evidence: 'not reached' },
  ],
  steps: [
    { step: 'Create the lab', result: 'PASS', durationMs: 5200, notes: ['one & two'] },
    { step: 'Check names', result: 'PASS', durationMs: 300, notes: [] },
  ],
  passed: false,
  stopped: null,
};
const chart: PhaseChart = {
  title: 'The pods',
  origin: 1000,
  end: 5000,
  rows: [
    {
      ordinal: 0,
      pod: 'nginx-sts-0',
      segments: [
        { phase: 'pending', from: 1000, to: 2000, uid: 'a' },
        { phase: 'ready', from: 2000, to: 5000, uid: 'a' },
      ],
    },
    {
      ordinal: 1,
      pod: 'nginx-sts-1',
      segments: [
        { phase: 'pending', from: 2100, to: 3000, uid: 'b' },
        { phase: 'running', from: 3000, to: 3500, uid: 'b' },
        { phase: 'ready', from: 3500, to: 5000, uid: 'b' },
      ],
    },
  ],
};

test('the HTML report: self-contained, escaped, a row per concept, a bar per segment in time order, a text alternative', () => {
  const html = reportHtml(report, [[chart], []]);
  assert.match(
    html,
    /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/,
  );
  assert.doesNotMatch(html, /<(script|link|img|iframe)\b|\b(src|href)=|url\(/i);
  assert.match(html, /<title>StatefulSet lab report: FAIL<\/title>/);
  assert.match(html, /context <code>kind-&#60;lab&#62;<\/code>/, 'text is escaped');
  assert.match(
    html,
    /<tr><th scope="row">Ordered deployment<\/th><td>Pods created in order<\/td><td class="result pass">PASS<\/td><td>nginx-sts-1 created &#60;after&#62; nginx-sts-0<\/td><\/tr>/,
  );
  assert.match(html, /<td class="result fail">FAIL<\/td>/);
  const bars = [...html.matchAll(/<rect class="bar (\w+)" data-pod="([\w-]+)" data-phase="\w+" x="([\d.]+)"/g)].map(
    (m) => [m[2], m[1], Number(m[3])],
  );
  assert.deepEqual(
    bars.map(([pod, phase]) => `${pod} ${phase}`),
    ['nginx-sts-0 pending', 'nginx-sts-0 ready', 'nginx-sts-1 pending', 'nginx-sts-1 running', 'nginx-sts-1 ready'],
  );
  assert.ok((bars[2]![2] as number) > (bars[1]![2] as number), 'nginx-sts-1 starts right of nginx-sts-0 turning Ready');
  assert.match(
    html,
    /<desc id="chart-1-desc">nginx-sts-0: pending\/creating 0\.0 s–1\.0 s, ready 1\.0 s–4\.0 s; nginx-sts-1: /,
  );
  assert.equal(
    [...html.matchAll(/<tr><th scope="row">nginx-sts-\d<\/th><td>/g)].length,
    5,
    'the timeline as a table, a row per segment',
  );
  assert.match(html, /@media print/);
  assert.match(html, /@media \(prefers-color-scheme: dark\)/);
  assert.equal([...html.matchAll(/<figure class="timeline"/g)].length, 1, 'only the steps that drew one');
});

test('a hands-on report says who did each step and what was typed, in the page and in Markdown', () => {
  const kubectl = 'kubectl -n scenarios delete pod nginx-sts-1';
  const handsOn: LabReport = {
    ...report,
    steps: [
      { ...report.steps[0]!, by: 'lab', actions: [] },
      {
        ...report.steps[1]!,
        by: 'learner',
        actions: [{ kubectl, by: 'learner', hints: ['nginx-sts-2 was deleted, not <nginx-sts-1>'], waitedMs: 4000 }],
      },
    ],
  };
  const html = reportHtml(handsOn, [[], []]);
  assert.match(html, /Create the lab .*<span class="by">done by the lab<\/span>/);
  assert.match(html, /Check names .*<span class="by">done by you<\/span>/);
  assert.ok(
    html.includes(
      `<p class="action">You ran <code>${kubectl}</code> (before that: nginx-sts-2 was deleted, not &#60;nginx-sts-1&#62;)</p>`,
    ),
  );
  const md = reportMarkdown(handsOn);
  assert.match(md, /^2\. \*\*Check names\*\* \(PASS, 0\.3 s, done by you\)$/m);
  assert.ok(md.includes(`   You ran \`${kubectl}\`\n   (before that: nginx-sts-2 was deleted, not <nginx-sts-1>)`));
  assert.doesNotMatch(reportMarkdown(report), /done by/, 'a tour that is not hands-on says nothing of it');
});
