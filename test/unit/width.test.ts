import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layoutWidth, proseWidth, wrapLine } from '../../src/ui/width.ts';

test('prose is as wide as the terminal, at most 100 columns, and 80 when piped', () => {
  assert.equal(proseWidth(60), 60);
  assert.equal(proseWidth(200), 100);
  assert.equal(proseWidth(undefined), 80);
  assert.equal(layoutWidth(200), 200);
});

test('a verdict wraps at spaces under its text, past the result word', () => {
  assert.deepEqual(wrapLine('PASS  Stable identity held: nginx-sts-1 came back as itself with its claim', 40), [
    'PASS  Stable identity held: nginx-sts-1',
    '      came back as itself with its claim',
  ]);
});

test('colour takes no room, and a word longer than the line stays whole', () => {
  assert.deepEqual(wrapLine('\x1b[32mPASS\x1b[39m  ok because it is', 14), [
    '\x1b[32mPASS\x1b[39m  ok',
    '      because',
    '      it is',
  ]);
  assert.deepEqual(wrapLine('   see /a/very/long/path/that/does/not/fit', 20), [
    '   see',
    '   /a/very/long/path/that/does/not/fit',
  ]);
});

test('a kubectl command in a hint stays on one line, so it can be copied', () => {
  assert.deepEqual(
    wrapLine(
      'hint: no provisioner answers: pass --storage-class, or kubectl describe pvc data-nginx-sts-0 -n e2e-noprov',
      60,
    ),
    [
      'hint: no provisioner answers: pass --storage-class, or',
      '      kubectl describe pvc data-nginx-sts-0 -n e2e-noprov',
    ],
  );
  assert.deepEqual(wrapLine('No lab here. Run `kubectl sts-lab setup` to create it.', 30), [
    'No lab here. Run',
    '`kubectl sts-lab setup` to',
    'create it.',
  ]);
});

test('a command too long for any line is wrapped at its spaces after all', () => {
  assert.deepEqual(wrapLine('hint: kubectl -n ns exec web-0 -- sh', 20), [
    'hint: kubectl -n ns',
    '      exec web-0 --',
    '      sh',
  ]);
});
