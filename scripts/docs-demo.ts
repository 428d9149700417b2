// The README's demo: a recorded tour (asciinema) as an animated SVG (svg-term-cli).
// Usage: node scripts/docs-demo.ts RECORDED.cast EXIT_CODE OUT.cast OUT.svg
// Only a tour that passed becomes the demo; its exit code goes into the cast's title, which
// test/unit/demo.test.ts reads. Output that arrives within one frame is merged into one event,
// so the SVG holds a few hundred frames instead of every spinner tick.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FRAME_S = 0.25;
export const DEMO_TITLE = 'kubectl sts-lab tour (exit 0)';

const [recorded, exitCode, outCast, outSvg] = process.argv.slice(2);
if (!recorded || !exitCode || !outCast || !outSvg)
  throw new Error('usage: node scripts/docs-demo.ts RECORDED.cast EXIT_CODE OUT.cast OUT.svg');
if (exitCode !== '0') {
  console.error(`error: the recorded tour exited ${exitCode}; the demo is left as it was`);
  process.exit(1);
}

type Event = [number, string, string];
const [headerLine, ...eventLines] = readFileSync(recorded, 'utf8').trimEnd().split('\n');
const header = { ...(JSON.parse(headerLine!) as Record<string, unknown>), title: DEMO_TITLE };
const frames: Event[] = [];
for (const line of eventLines) {
  const [time, kind, data] = JSON.parse(line) as Event;
  if (kind !== 'o') continue;
  const last = frames.at(-1);
  if (last && time - last[0] < FRAME_S) last[2] += data;
  else frames.push([Math.round(time * 1000) / 1000, 'o', data]);
}
writeFileSync(outCast, [header, ...frames].map((x) => JSON.stringify(x)).join('\n') + '\n');
execFileSync(
  join(import.meta.dirname, '..', 'node_modules', '.bin', 'svg-term'),
  ['--in', outCast, '--out', outSvg, '--window', '--no-cursor'],
  { stdio: 'inherit' },
);
console.error(`${outSvg}: ${frames.length} frames from ${eventLines.length} events of ${recorded}`);
