import assert from 'node:assert/strict';
import { test } from 'node:test';
import { misfits } from '../support/screen.ts';

test('a pane that fits: lines within the width, words whole, the axis ending in seconds', () => {
  const pane = [
    'The controller re-created nginx-sts-1 with the same name and',
    'the same claim, and it is new.',
    'nginx-sts-1 │░▒█',
    '            └──────┬──────┬',
    '            0s     1s     2s',
  ].join('\n');
  assert.deepEqual(misfits(pane, 62), []);
});

test("what the issue saw: a wrapped line, a word broken in two, the axis's unit on the next line", () => {
  const pane = [
    'The controller re-created the pod under its old name, an',
    'd the pod is new; and its claim is the same.',
    'nginx-sts-1 │░▒█',
    '            └──────┬──────┬',
    '            0s     1s     3.5',
    's',
  ].join('\n');
  assert.deepEqual(misfits(pane, 50), [
    'line 1 is 56 columns wide: The controller re-created the pod under its old name, an',
    '"and" is broken across lines 1 and 2',
    "the chart's axis labels on line 5 do not end in whole seconds:             0s     1s     3.5",
  ]);
});
