// The -o json contract as the command reference (docs/commands.md) documents it, for the end-to-end tests to hold the
// commands to: documented keys (nested objects too), ISO 8601 instants, durations in …Ms.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cluster/paths.ts';

/** The command reference's "- `CMD -o json`: `{…}`" lines, by command. */
export function documented(): Map<string, string> {
  const reference = readFileSync(join(ROOT, 'docs', 'commands.md'), 'utf8');
  const shapes = new Map([...reference.matchAll(/^- `([a-z-]+) -o json`: `(\{.*?\})`/gm)].map((m) => [m[1]!, m[2]!]));
  // "- `unready -o json`: `{…}` …, and `ready -o json` the same".
  for (const m of reference.matchAll(/^- `([a-z-]+) -o json`:.*?, and `([a-z-]+) -o json` the same/gm))
    shapes.set(m[2]!, shapes.get(m[1]!)!);
  return shapes;
}

/** Splits "{a, b: {c, d}, e: [X]}" into its top-level entries. */
function entries(object: string): Map<string, string> {
  const inner = object.trim().replace(/^\{/, '').replace(/\}$/, '');
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of inner) {
    if ('{['.includes(ch)) depth++;
    if ('}]'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return new Map(
    parts
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const at = p.indexOf(':');
        return at < 0 ? [p.split(' ')[0]!, ''] : [p.slice(0, at).trim(), p.slice(at + 1).trim()];
      }),
  );
}

/** Compares keys, and the keys of nested objects the reference writes out as {…}. */
export function sameShape(where: string, doc: string, value: unknown): void {
  const docEntries = entries(doc);
  assert.ok(value && typeof value === 'object', `${where}: an object`);
  // "key?" is documented as optional.
  const required = [...docEntries.keys()].filter((k) => !k.endsWith('?'));
  const optional = [...docEntries.keys()].filter((k) => k.endsWith('?')).map((k) => k.slice(0, -1));
  assert.deepEqual(
    Object.keys(value)
      .filter((k) => !optional.includes(k))
      .sort(),
    required.sort(),
    `${where}: keys`,
  );
  for (const [key, sub] of docEntries) {
    const v = (value as Record<string, unknown>)[key];
    if (/^\{[^|]*\}$/.test(sub) && v !== null) sameShape(`${where}.${key}`, sub, v);
    if (/^\[\{.*\}\]$/.test(sub) && Array.isArray(v) && v.length)
      sameShape(`${where}.${key}[0]`, sub.slice(1, -1), v[0]);
  }
}

/**
 * No epoch numbers for instants, no duration without its unit in its name (inside an …Ms object, every number is one).
 */
export function timeConvention(where: string, value: unknown, durations = false): void {
  if (Array.isArray(value)) return value.forEach((v, i) => timeConvention(`${where}[${i}]`, v, durations));
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    const isDurations = durations || /Ms$/.test(k);
    if (
      !isDurations &&
      /(^at$|At$|^created$|^scheduled$|^running$|^ready$)/.test(k) &&
      v !== null &&
      typeof v !== 'boolean'
    ) {
      assert.match(String(v), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, `${where}.${k} is ISO 8601`);
    }
    if (!isDurations && /(seconds|duration|after|elapsed)/i.test(k) && typeof v === 'number')
      assert.match(k, /Ms$/, `${where}.${k}: a duration's name ends in Ms`);
    timeConvention(`${where}.${k}`, v, isDurations);
  }
}
