// JUnit XML for CI: one <testcase> per verdict or report row, in the shape Jenkins' junit-4 schema
// (and Maven Surefire's readers) accept. A FAIL is a <failure> with the why, an N/A a <skipped>
// with its reason, and the evidence goes in <system-out>.
import type { Result } from '../lab/verdict.ts';

export interface TestCase {
  /** The command or tour part: CI tools group by it. */
  classname: string;
  name: string;
  /** ERROR: the command could not finish (an <error>, not a <failure>). */
  result: Result | 'ERROR';
  /** The one-line why of a FAIL or N/A. */
  message: string;
  /** The lines under it: what a learner reads in the verdict. */
  details?: string[] | undefined;
  /** What the cluster showed, as a person reads it. */
  evidence: string;
  timeMs?: number | undefined;
}

export interface TestSuite {
  name: string;
  timestamp: string;
  timeMs: number;
  /** Where and how it ran: server version, context, storage class, nodes, measured durations. */
  properties: [string, string][];
  cases: TestCase[];
}

// XML 1.0 forbids these control characters even as references; a pod's log may carry them.
// eslint-disable-next-line no-control-regex -- matching them is the point
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

const escape = (s: string): string =>
  s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3);

function testcase(c: TestCase): string[] {
  const open = `    <testcase classname="${escape(c.classname)}" name="${escape(c.name)}" time="${seconds(c.timeMs)}">`;
  const body = [
    ...(c.result === 'N/A' ? [`      <skipped>${escape(c.message)}</skipped>`] : []),
    ...(c.result === 'FAIL'
      ? [
          `      <failure type="FAIL" message="${escape(c.message)}">${escape([c.message, ...(c.details ?? [])].join('\n'))}</failure>`,
        ]
      : []),
    ...(c.result === 'ERROR'
      ? [`      <error type="ERROR" message="${escape(c.message)}">${escape(c.message)}</error>`]
      : []),
    ...(c.evidence ? [`      <system-out>${escape(c.evidence)}</system-out>`] : []),
  ];
  return [open, ...body, '    </testcase>'];
}

export function junitXml(s: TestSuite): string {
  const count = (r: TestCase['result']) => s.cases.filter((c) => c.result === r).length;
  // junit-4.xsd has no skipped count on <testsuites>, only on <testsuite>.
  const attrs = `name="${escape(s.name)}" tests="${s.cases.length}" failures="${count('FAIL')}" errors="${count('ERROR')}" time="${seconds(s.timeMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs}>`,
    `  <testsuite ${attrs} skipped="${count('N/A')}" timestamp="${escape(s.timestamp)}">`,
    ...(s.properties.length
      ? [
          '    <properties>',
          ...s.properties.map(([k, v]) => `      <property name="${escape(k)}" value="${escape(v)}"/>`),
          '    </properties>',
        ]
      : []),
    ...s.cases.flatMap(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
