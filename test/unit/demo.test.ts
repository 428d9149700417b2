// The README's demo (npm run docs): a tour recorded on a terminal, and the SVG made from it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SEED_CONCEPTS } from '../support/concepts.ts';

const DOCS = join(import.meta.dirname, '..', '..', 'docs');
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

test('the demo is a recorded tour that passed, every row of its report PASS', () => {
  const [headerLine, ...events] = readFileSync(join(DOCS, 'demo.cast'), 'utf8').trimEnd().split('\n');
  const header = JSON.parse(headerLine!) as { version: number; width: number; title: string };
  assert.equal(header.version, 2);
  assert.ok(header.width <= 100, `recorded ${header.width} columns wide`);
  assert.equal(header.title, 'kubectl sts-lab tour (exit 0)', 'docs-demo.ts titles only a tour that exited 0');
  const text = events
    .map((e) => JSON.parse(e) as [number, string, string])
    .map(([, , data]) => data)
    .join('')
    .replace(ANSI, '');
  assert.match(text, /^\$ kubectl sts-lab -n \S+ tour/);
  const rows = [...text.matchAll(new RegExp(`^(${SEED_CONCEPTS.join('|')})\\s+(\\w+)`, 'gm'))];
  assert.deepEqual(
    rows.map(([, concept, result]) => [concept, result]),
    SEED_CONCEPTS.map((c) => [c, 'PASS']),
  );
  assert.match(text, /Every StatefulSet guarantee of the scenario held on this cluster/);
});

test('the demo SVG parses and shows the recorded report', () => {
  const file = join(DOCS, 'demo.svg');
  execFileSync('xmllint', ['--noout', file]);
  const svg = readFileSync(file, 'utf8');
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /@keyframes/, 'animated');
  // svg-term places the text a word at a time: its words, in order, read as the screen does.
  const words = svg
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
  assert.match(
    words,
    /PASS Every StatefulSet guarantee of the scenario held on this cluster/,
    'its last frame is the report',
  );
});
