// How wide output is laid out, and prose wrapped to it at word boundaries: the terminal's width
// (80 when piped, as kubectl assumes), and prose at most 100 columns even on a wide terminal.
import { stripVTControlCharacters } from 'node:util';

/** The width to lay out for: the terminal's, or 80 when stdout is not one. */
export const layoutWidth = (columns: number | undefined): number => (columns && columns > 0 ? columns : 80);

/** Prose: the terminal's width, at most 100 columns. */
export const proseWidth = (columns: number | undefined): number => Math.min(100, layoutWidth(columns));

/** Prose on stderr (narration, hints): as wide as that terminal allows. */
export const stderrProseWidth = (): number => proseWidth(process.stderr.isTTY ? process.stderr.columns : undefined);

/** Columns a string takes on a terminal: colours take none; every glyph sts-lab prints takes one. */
export const visibleWidth = (s: string): number => [...stripVTControlCharacters(s)].length;

/** A verdict line's text starts after its result ("PASS  ", "N/A   "): continuations align with it. */
const RESULT_PREFIX = /^(PASS|FAIL|N\/A) +/;

// eslint-disable-next-line no-control-regex -- a colour escape around the result word
const PAINTED_RESULT = /^(?:\x1b\[[0-9;]*m)*(?:PASS|FAIL|N\/A)(?:\x1b\[[0-9;]*m)* +/;

/** Where a wrapped line's continuations start: under its text, past any indent or result word. */
function hangingIndent(line: string): number {
  const plain = stripVTControlCharacters(line);
  const lead = /^ */.exec(plain)![0].length;
  const result = RESULT_PREFIX.exec(plain.slice(lead));
  const bullet = /^(hint: |[-•›✔✖] )/.exec(plain.slice(lead));
  return lead + (result?.[0].length ?? bullet?.[0].length ?? 0);
}

/** A kubectl command in prose, up to the punctuation that ends it: one unit, so it can be copied from one line. */
function commandsKept(words: string[]): string[] {
  const units: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let end = i;
    if (/^[(`]?kubectl$/.test(words[i]!)) while (end + 1 < words.length && !/[,;)`.]$/.test(words[end]!)) end++;
    units.push(words.slice(i, end + 1).join(' '));
    i = end;
  }
  return units;
}

/**
 * One line wrapped to `width` at spaces, continuations indented to its hanging indent. A word
 * longer than the room (a URL, a path) stays whole on its own line rather than being broken, and
 * so does a kubectl command that fits on a line of its own.
 */
export function wrapLine(line: string, width: number): string[] {
  if (visibleWidth(line) <= width) return [line];
  const pad = ' '.repeat(hangingIndent(line));
  // The leading spaces and the result word (coloured or not) with its padding stay as they are.
  const head = /^ */.exec(line)![0];
  const lead = head + (PAINTED_RESULT.exec(line.slice(head.length))?.[0] ?? '');
  const fits = (unit: string) => visibleWidth(pad + unit) <= width;
  const units = commandsKept(line.slice(lead.length).split(/ +/)).flatMap((u) => (fits(u) ? [u] : u.split(' ')));
  return wrapWords(units, width, lead, pad);
}

/**
 * Words in lines of at most `width` columns, greedily: the first line starts with `lead`, the
 * others with `pad`. A word longer than the room keeps a line of its own.
 */
export function wrapWords(words: string[], width: number, lead = '', pad = ''): string[] {
  const out: string[] = [];
  let current = lead;
  let empty = true;
  for (const word of words) {
    const candidate = empty ? current + word : `${current} ${word}`;
    if (!empty && visibleWidth(candidate) > width) {
      out.push(current);
      current = pad + word;
    } else current = candidate;
    empty = false;
  }
  out.push(current);
  return out;
}

/** Every line wrapped; blank lines kept. */
export const wrapLines = (lines: string[], width: number): string[] => lines.flatMap((l) => wrapLine(l, width));
