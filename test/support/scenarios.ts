// The command lines test/support/record.ts records and test/inprocess/ replays, in the order they
// run against one lab: each starts from the state the one before left.
import { join } from 'node:path';
import { ROOT } from '../cluster/paths.ts';

export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const NAMESPACE = 'sts-lab-fixtures';

export interface Scenario {
  name: string;
  argv: (image: string) => string[];
  /** The exit code the recorded run had. */
  exit: number;
  /** Recorded while the cluster had no default StorageClass. */
  noDefaultClass?: boolean;
}

const lab = (...words: string[]) => ['-n', NAMESPACE, '--progress', 'none', ...words];

export const SCENARIOS: Scenario[] = [
  { name: 'setup', argv: (image) => lab('setup', '--image', image), exit: 0 },
  { name: 'status', argv: () => lab('status'), exit: 0 },
  { name: 'watch-order', argv: () => lab('watch-order', '--restart'), exit: 0 },
  { name: 'write-data', argv: () => lab('write-data'), exit: 0 },
  { name: 'kill-pod', argv: () => lab('kill-pod', '1'), exit: 0 },
  { name: 'check-persistence', argv: () => lab('check-persistence'), exit: 0 },
  // On the default class (local-path, pinned): nginx-sts-1 stays Pending until uncordon.
  { name: 'drain', argv: () => lab('drain', '1'), exit: 0 },
  { name: 'uncordon', argv: () => lab('uncordon'), exit: 0 },
  { name: 'dns', argv: () => lab('dns'), exit: 0 },
  { name: 'scale-up', argv: () => lab('scale', '4'), exit: 0 },
  { name: 'scale-down', argv: () => lab('scale', '3'), exit: 0 },
  { name: 'unready', argv: () => lab('unready', '1'), exit: 0 },
  { name: 'ready', argv: () => lab('ready', '1'), exit: 0 },
  { name: 'update', argv: () => lab('update'), exit: 0 },
  { name: 'history', argv: () => lab('history'), exit: 0 },
  { name: 'rollback', argv: () => lab('rollback'), exit: 0 },
  { name: 'orphan', argv: () => lab('orphan'), exit: 0 },
  { name: 'setup-adopt', argv: (image) => lab('setup', '--image', image), exit: 0 },
  { name: 'teardown', argv: () => lab('teardown'), exit: 0 },
  // An image no node can pull: setup must name the pod and the kubelet's reason, then give up.
  {
    name: 'setup-unpullable',
    argv: () => lab('setup', '--image', 'localhost/sts-lab-no-such-image:1', '--timeout', '2m'),
    exit: 1,
  },
  { name: 'teardown-unpullable', argv: () => lab('teardown'), exit: 0 },
  // The tour on a cluster without a default StorageClass, with one named.
  {
    name: 'tour-storage-class',
    argv: (image) => lab('tour', '--storage-class', 'shared-hostpath', '--image', image),
    exit: 0,
    noDefaultClass: true,
  },
];
