// The lab report as one self-contained HTML page: no scripts, fonts or requests of any kind (its
// Content-Security-Policy forbids them), light and dark, printable, with real table markup and a
// text alternative for every chart. The charts are SVG, drawn from the watch's phases.
import { PHASE_LABEL as LABEL, PHASES, type PhaseChart } from '../ui/phases.ts';
import { doerOf, ranBy, type LabReport } from './lab-report.ts';
import { factsText } from '../lab/cluster-facts.ts';

const W = 760;
const LEFT = 110;
const ROW = 24;
const BAR = 14;
const AXIS = 30;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function reportHtml(r: LabReport, charts: PhaseChart[][]): string {
  const verdict = r.passed ? 'PASS' : 'FAIL';
  const rows = r.rows
    .map(
      (x) =>
        `<tr><th scope="row">${esc(x.concept)}</th><td>${esc(x.outcome)}</td><td class="result ${x.result === 'N/A' ? 'na' : x.result.toLowerCase()}">${x.result}</td><td>${esc(x.evidence)}</td></tr>`,
    )
    .join('\n');
  let figure = 0;
  const steps = r.steps
    .map((s, i) => {
      const figures = (charts[i] ?? []).map((c) => chartFigure(c, ++figure)).join('\n');
      return `<li class="step"><h3>${esc(s.step)} <span class="result ${s.result === 'N/A' ? 'na' : s.result.toLowerCase()}">${s.result}</span> <span class="took">${seconds(s.durationMs)}</span>${s.by ? ` <span class="by">done by ${doerOf(s.by)}</span>` : ''}</h3>
${(s.actions ?? []).map((a) => `<p class="action">${ranBy(a.by)} <code>${esc(a.kubectl)}</code>${a.hints.map((h) => ` (before that: ${esc(h)})`).join('')}</p>`).join('\n')}
${s.notes.map((n) => `<p>${esc(n)}</p>`).join('\n')}
${figures}</li>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>StatefulSet lab report: ${verdict}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>StatefulSet lab report: <span class="result ${verdict.toLowerCase()}">${verdict}</span></h1>
<p>StatefulSet <code>${esc(r.statefulSet)}</code> in namespace <code>${esc(r.namespace)}</code> on ${r.context ? `context <code>${esc(r.context)}</code>, ` : ''}${r.server ? `<code>${esc(r.server)}</code>, ` : ''}Kubernetes ${esc(r.serverVersion ?? 'unknown')}${r.cluster ? `, ${esc(factsText(r.cluster))}` : ''}; tour parts: ${esc(r.parts.join(', '))}; ${esc(r.startedAt)} to ${esc(r.finishedAt)}.</p>
</header>
<main>
<table class="report">
<caption>One row per StatefulSet guarantee, judged from what the cluster's API showed</caption>
<thead><tr><th scope="col">Key concept</th><th scope="col">Expected outcome</th><th scope="col">Result</th><th scope="col">Evidence</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>Steps</h2>
<p class="legend">Each chart is a watch of the pods, one row per pod: ${legend()}.</p>
<ol class="steps">
${steps}
</ol>
</main>
<footer><p>Made by kubectl sts-lab. Phases in the charts: ${legend()}; time in seconds from the first change the watch saw.</p></footer>
</body>
</html>
`;
}

const legend = (): string => PHASES.map((p) => `<span class="key ${p}"></span> ${LABEL[p]}`).join(', ');

/** One SVG timeline with its caption, and the same data as a table for those who cannot see it. */
function chartFigure(c: PhaseChart, n: number): string {
  const span = Math.max(1, c.end - c.origin);
  const x = (t: number) => LEFT + ((t - c.origin) / span) * (W - LEFT - 10);
  const height = c.rows.length * ROW + AXIS;
  const bars = c.rows
    .map((row, i) => {
      const y = i * ROW + (ROW - BAR) / 2;
      const rects = row.segments
        .map(
          (s) =>
            `<rect class="bar ${s.phase}" data-pod="${esc(row.pod)}" data-phase="${s.phase}" x="${x(s.from).toFixed(1)}" y="${y}" width="${Math.max(1, x(s.to) - x(s.from)).toFixed(1)}" height="${BAR}"><title>${esc(row.pod)}: ${LABEL[s.phase]} from ${seconds(s.from - c.origin)} to ${seconds(s.to - c.origin)}</title></rect>`,
        )
        .join('');
      return `<text class="pod" x="${LEFT - 8}" y="${y + BAR - 3}" text-anchor="end">${esc(row.pod)}</text>${rects}`;
    })
    .join('\n');
  const step = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300].find((s) => span / 1000 / s <= 10) ?? 600;
  const ticks: string[] = [];
  for (let t = 0; t <= span / 1000 + 1e-9; t += step) {
    const tx = x(c.origin + t * 1000).toFixed(1);
    ticks.push(
      `<line class="tick" x1="${tx}" x2="${tx}" y1="${height - AXIS}" y2="${height - AXIS + 5}"/><text class="axis" x="${tx}" y="${height - AXIS + 18}" text-anchor="middle">${Number(t.toFixed(1))} s</text>`,
    );
  }
  const summary = c.rows
    .map(
      (row) =>
        `${row.pod}: ${row.segments.map((s) => `${LABEL[s.phase]} ${seconds(s.from - c.origin)}–${seconds(s.to - c.origin)}`).join(', ')}`,
    )
    .join('; ');
  const table = c.rows
    .flatMap((row) =>
      row.segments.map(
        (s) =>
          `<tr><th scope="row">${esc(row.pod)}</th><td>${LABEL[s.phase]}</td><td>${seconds(s.from - c.origin)}</td><td>${seconds(s.to - c.origin)}</td></tr>`,
      ),
    )
    .join('');
  return `<figure class="timeline" id="chart-${n}">
<svg viewBox="0 0 ${W} ${height}" role="img" aria-labelledby="chart-${n}-title chart-${n}-desc" xmlns="http://www.w3.org/2000/svg">
<title id="chart-${n}-title">${esc(c.title)}</title>
<desc id="chart-${n}-desc">${esc(summary)}</desc>
<line class="baseline" x1="${LEFT}" x2="${W - 10}" y1="${height - AXIS}" y2="${height - AXIS}"/>
${bars}
${ticks.join('')}
</svg>
<figcaption>${esc(c.title)}, ${seconds(span)} in all</figcaption>
<details><summary>The timeline as a table</summary>
<table><thead><tr><th scope="col">Pod</th><th scope="col">Phase</th><th scope="col">From</th><th scope="col">To</th></tr></thead><tbody>${table}</tbody></table>
</details>
</figure>`;
}

const STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --pass: #1a7f37; --fail: #cf222e; --na: #9a6700;
  --pending: #d4a72c; --running: #54aeff; --ready: #2da44e; --terminating: #cf222e; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --pass: #3fb950; --fail: #f85149; --na: #d29922;
    --pending: #bb8009; --running: #4493f8; --ready: #2ea043; --terminating: #da3633; }
}
body { margin: 2rem auto; max-width: 60rem; padding: 0 1rem; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { margin-top: 2rem; }
h3 { font-size: 1rem; margin: 0 0 .25rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: var(--muted); padding-bottom: .5rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: color-mix(in srgb, var(--line) 35%, transparent); }
.result { font-weight: 700; white-space: nowrap; }
.result.pass { color: var(--pass); } .result.fail { color: var(--fail); } .result.na { color: var(--na); }
.took { color: var(--muted); font-weight: 400; font-size: .85em; }
.by { color: var(--muted); font-weight: 400; font-size: .85em; font-style: italic; }
.steps { padding-left: 1.5rem; }
.step { margin-bottom: 1.5rem; }
.step p { margin: .15rem 0; }
figure { margin: .75rem 0 0; }
figcaption, details, .legend { color: var(--muted); font-size: .85em; }
svg { width: 100%; height: auto; }
svg text { fill: var(--fg); font: 12px system-ui, sans-serif; }
svg .axis { fill: var(--muted); }
svg .baseline, svg .tick { stroke: var(--muted); }
.bar.pending, .key.pending { fill: var(--pending); background: var(--pending); }
.bar.running, .key.running { fill: var(--running); background: var(--running); }
.bar.ready, .key.ready { fill: var(--ready); background: var(--ready); }
.bar.terminating, .key.terminating { fill: var(--terminating); background: var(--terminating); }
.bar.pending { fill-opacity: .55; } .bar.terminating { fill-opacity: .8; }
.key { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em; border-radius: 2px; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  .step, figure, tr { break-inside: avoid; }
  details { display: none; }
  .bar, .key { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;
