import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../src/errors.ts';
import { tourParts } from '../../../src/tour/tour.ts';

test('--part all is every part, nodes and storage included, in the tour order', () => {
  assert.deepEqual(tourParts('all'), ['seed', 'updates', 'lifecycle', 'nodes', 'storage']);
});

test('--part takes a list, run in the tour order whatever order it is written in', () => {
  assert.deepEqual(tourParts('nodes,seed'), ['seed', 'nodes']);
  assert.deepEqual(tourParts(' updates '), ['updates']);
});

test('an unknown part is a usage error naming the choices', () => {
  assert.throws(
    () => tourParts('seed,upgrades'),
    (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.match(
        e.message,
        /^invalid argument "upgrades" for "--part" flag: must be one of seed, updates, lifecycle, nodes, storage, all, or a comma-separated list of them$/,
      );
      return true;
    },
  );
});
