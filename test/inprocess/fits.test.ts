// Every recorded command's table output on an 80-column terminal: each line fits, no word split
// across lines, the chart's axis whole (the same judge as the tmux tests of test/e2e/fits-*).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replay } from '../support/inprocess.ts';
import { SCENARIOS } from '../support/scenarios.ts';
import { misfits } from '../support/screen.ts';

const COLUMNS = 80;

for (const s of SCENARIOS) {
  test(`${s.name}: its tables, chart and verdicts fit ${COLUMNS} columns`, async () => {
    const r = await replay(s.name, [], undefined, COLUMNS);
    assert.equal(r.code, s.exit, r.err);
    assert.deepEqual(misfits(r.out, COLUMNS), [], r.out);
    // An error: line stays one line, because scripts grep it; the hints under it wrap.
    const hints = r.err
      .split('\n')
      .filter((l) => !l.startsWith('error: '))
      .join('\n');
    assert.deepEqual(misfits(hints, COLUMNS), [], r.err);
  });
}
