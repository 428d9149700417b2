// tour --keep --report FILE.html on the real cluster, the report rendered in headless Chromium:
// every row with its result, one SVG bar per pod per phase in time order along the x axis, no
// request leaving the page, light and dark. The screenshots stay in test/output/report-browser/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { openInChromium } from '../../scripts/lib/chromium.ts';
import { ROOT, sharesClusterDns } from './cluster-env.ts';
import { dropNamespace, IMAGE, sts, uniqueName } from './harness.ts';

sharesClusterDns();

const OUT = join(ROOT, 'test', 'output', 'report-browser');
const CONCEPTS = [
  'Ordered deployment',
  'Stable identity',
  'Headless Service DNS',
  'PVC per pod',
  'Stable storage',
  'Ordered scaling',
];
type Bar = { pod: string; phase: string; x: number; width: number };
type Rendered = {
  title: string;
  rows: { concept: string; result: string; color: string }[];
  charts: { title: string; desc: string; bars: Bar[] }[];
  resources: number;
  background: string;
};

const RENDERED = `(() => ({
  title: document.title,
  rows: [...document.querySelectorAll('table.report tbody tr')].map((tr) => ({ concept: tr.cells[0].textContent, result: tr.cells[2].textContent, color: getComputedStyle(tr.cells[2]).color })),
  charts: [...document.querySelectorAll('figure.timeline')].map((f) => ({
    title: f.querySelector('svg > title').textContent,
    desc: f.querySelector('svg > desc').textContent,
    bars: [...f.querySelectorAll('rect.bar')].map((b) => { const r = b.getBoundingClientRect(); return { pod: b.dataset.pod, phase: b.dataset.phase, x: r.x, width: r.width }; }),
  })),
  resources: performance.getEntriesByType('resource').length,
  background: getComputedStyle(document.body).backgroundColor,
}))()`;

const rgb = (css: string) => (/rgba?\((\d+), (\d+), (\d+)/.exec(css) ?? []).slice(1).map(Number);
const barsOf = (bars: Bar[], pod: string) => bars.filter((b) => b.pod === pod);
const firstX = (bars: Bar[], pod: string, phase: string) =>
  barsOf(bars, pod).find((b) => b.phase === phase)?.x ?? Number.NaN;

test('tour --keep --report FILE.html: the lab stays, and the report renders in a real browser', async () => {
  const ns = uniqueName('e2e-html');
  after(() => dropNamespace(ns));
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'report.html');
  const r = await sts(['-n', ns, '--progress', 'none', 'tour', '--image', IMAGE, '--keep', '--report', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /^Cleanup/m);
  const status = JSON.parse((await sts(['-n', ns, 'status', '-o', 'json'])).stdout);
  assert.equal(status.deployed, true);
  assert.equal(status.statefulSet.replicas, 2, 'the tour ends scaled to 2');

  const html = readFileSync(file, 'utf8');
  assert.doesNotMatch(
    html,
    /<(script|link|img|iframe)\b|\b(src|href)=|url\(/i,
    'nothing in the page could fetch anything',
  );
  const page = await openInChromium(pathToFileURL(file).href);
  try {
    const light = await page.evaluate<Rendered>(RENDERED);
    writeFileSync(join(OUT, 'report-light.png'), await page.screenshot());
    await page.colorScheme('dark');
    const dark = await page.evaluate<Rendered>(RENDERED);
    writeFileSync(join(OUT, 'report-dark.png'), await page.screenshot());

    assert.equal(light.title, 'StatefulSet lab report: PASS');
    assert.deepEqual(
      light.rows.map((x) => [x.concept, x.result]),
      CONCEPTS.map((c) => [c, 'PASS']),
    );
    for (const row of light.rows) {
      const [red, green] = rgb(row.color);
      assert.ok(green! > red!, `${row.concept}: PASS is drawn in green (${row.color})`);
    }
    assert.deepEqual(page.requests, [pathToFileURL(file).href], 'the page itself, nothing else');
    assert.equal(light.resources, 0);
    assert.ok(
      rgb(light.background).every((v) => v > 200) && rgb(dark.background).every((v) => v < 60),
      `light ${light.background}, dark ${dark.background}`,
    );

    const chart = (title: RegExp) => {
      const c = light.charts.find((x) => title.test(x.title));
      assert.ok(c, `a chart ${title} among ${light.charts.map((x) => x.title).join(' | ')}`);
      assert.ok(c.desc.length > 0, 'with a text alternative');
      return c.bars;
    };
    // Creation: one bar per pod per phase, in time order, each pod pending only after the one below was Ready.
    const created = chart(/^The pods of statefulset\.apps\/nginx-sts/);
    for (const [i, pod] of ['nginx-sts-0', 'nginx-sts-1', 'nginx-sts-2'].entries()) {
      const mine = barsOf(created, pod);
      const phases = mine.map((b) => b.phase);
      assert.equal(new Set(phases).size, phases.length, `${pod}: one bar per phase (${phases})`);
      assert.deepEqual(
        phases.filter((p) => p !== 'running'),
        ['pending', 'ready'],
        pod,
      );
      assert.deepEqual(
        mine.map((b) => b.x),
        [...mine.map((b) => b.x)].sort((a, b) => a - b),
        `${pod}: left to right in time`,
      );
      if (i > 0)
        assert.ok(
          firstX(created, pod, 'pending') >= firstX(created, `nginx-sts-${i - 1}`, 'ready') - 1,
          `${pod} starts after nginx-sts-${i - 1} is Ready`,
        );
    }
    // kill-pod 1: Ready, terminating, gone, then pending again and Ready.
    const killed = barsOf(chart(/^nginx-sts-1 deleted and re-created$/), 'nginx-sts-1');
    assert.deepEqual(
      killed.map((b) => b.phase).filter((p) => p !== 'running'),
      ['ready', 'terminating', 'pending', 'ready'],
    );
    // Scale down 5 → 2: terminations from the top, 4 before 3 before 2.
    const down = chart(/^Scale 5 → 2$/);
    const ends = ['nginx-sts-4', 'nginx-sts-3', 'nginx-sts-2'].map((p) => firstX(down, p, 'terminating'));
    assert.deepEqual(
      ends,
      [...ends].sort((a, b) => a - b),
      `terminating from the highest ordinal: ${ends}`,
    );
    chart(/^Scale 2 → 5$|^Scale 3 → 5$/);
  } finally {
    await page.close();
  }
});
