// What every judging command's report carries for CI, found in its -o json data whatever its
// shape: the verdicts (one JUnit test case each), the measured durations (fields ending in Ms)
// and the cluster they were proved on.
import { stripVTControlCharacters } from 'node:util';
import { factProperties, type ClusterFacts } from '../lab/cluster-facts.ts';
import type { Verdict } from '../lab/verdict.ts';
import type { TestCase, TestSuite } from '../ui/junit.ts';

const RESULTS = new Set(['PASS', 'FAIL', 'N/A']);

const isVerdict = (v: unknown): v is Verdict<unknown> => {
  const o = v as Partial<Verdict<unknown>> | null;
  return Boolean(o && typeof o === 'object' && RESULTS.has(o.result as string) && typeof o.headline === 'string');
};

/** Every verdict in the data, with where it sits ("verdict", "startOrdinal.verdict", "thresholds"). */
export function verdictsIn(data: unknown, path = ''): [string, Verdict<unknown>][] {
  if (isVerdict(data)) return [[path, data]];
  if (!data || typeof data !== 'object') return [];
  return Object.entries(data).flatMap(([k, v]) => verdictsIn(v, path ? `${path}.${k}` : k));
}

/**
 * Each list element's key: what it is called (a timing's what, a step, a pod), so the key outlives a change of order;
 * its index where it has no name, or shares it with an element before it (keys stay unique).
 */
const LABELS = ['what', 'step', 'pod', 'pvc', 'name'] as const;
function elementKeys(list: unknown[]): string[] {
  const seen = new Set<string>();
  return list.map((v, i) => {
    const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
    const name = LABELS.map((l) => o[l]).find((x): x is string => typeof x === 'string' && x !== '');
    if (name === undefined || seen.has(name)) return `.${i}`;
    seen.add(name);
    return `[${name}]`;
  });
}

/** Every measured duration in the data, by its path ("timingsMs.ready", "timings[3 pods Ready].durationMs"). */
export function durationsIn(data: unknown, path = ''): [string, number][] {
  if (!data || typeof data !== 'object') return [];
  const keys = Array.isArray(data) ? elementKeys(data) : undefined;
  return Object.entries(data as Record<string, unknown>).flatMap(([k, v], i): [string, number][] => {
    const at = keys ? `${path}${keys[i]}` : path ? `${path}.${k}` : k;
    if (typeof v === 'number' && /Ms$/.test(k)) return [[at, v]];
    if (k.endsWith('Ms') && v && typeof v === 'object')
      return Object.entries(v as Record<string, unknown>).flatMap(([sub, ms]): [string, number][] =>
        typeof ms === 'number' ? [[`${at}.${sub}`, ms]] : [],
      );
    return durationsIn(v, at);
  });
}

/** A case's name stays the same from run to run (CI tools follow a test by its name): where its verdict sits. */
const caseName = (command: string, path: string) =>
  path === 'verdict' || path === '' ? command : `${command}: ${path.replace(/\.verdict$/, '')}`;

/** One case per verdict; the evidence is the verdict's lines and the command's tables, as printed. */
export function verdictCases(command: string, data: unknown, tables: string): TestCase[] {
  return verdictsIn(data).map(([path, v]) => ({
    classname: `sts-lab.${command}`,
    name: caseName(command, path),
    result: v.result,
    message: v.headline,
    details: v.why,
    evidence: stripVTControlCharacters([`${v.result}  ${v.headline}`, ...v.why, '', tables].join('\n').trim()),
  }));
}

export function suiteOf(
  name: string,
  startedAt: Date,
  cases: TestCase[],
  facts: ClusterFacts | null,
  data: unknown,
): TestSuite {
  return {
    name,
    timestamp: startedAt.toISOString().replace(/\.\d+Z$/, ''),
    timeMs: Date.now() - startedAt.getTime(),
    properties: [
      ...(facts ? factProperties(facts) : []),
      ...durationsIn(data).map(([k, ms]): [string, string] => [`sts-lab.${k}`, String(Math.round(ms))]),
    ],
    cases,
  };
}
