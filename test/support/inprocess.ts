// Runs sts-lab's main() in this process against a recording (test/fixtures/NAME.json): the
// command's whole orchestration (its waits, tasks, stall reports and output) without a cluster.
import { readFileSync } from 'node:fs';
import { mock } from 'node:test';
import { join } from 'node:path';
import './from-source.ts';
import { main } from '../../src/cli.ts';
import { FIXTURES } from './scenarios.ts';
import { ReplayCluster, type Recording } from './replay.ts';

export const recording = (name: string): Recording =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Recording;

/** The recording ran with --progress none; a replay shows its task list unless told otherwise. */
const withoutProgress = (argv: string[]) =>
  argv.filter((_, i) => argv[i] !== '--progress' && argv[i - 1] !== '--progress');

export interface Replayed {
  code: number;
  out: string;
  err: string;
  /** What the task list printed (--progress plain), line by line. */
  progress: string[];
  cluster: ReplayCluster;
}

/**
 * The recorded command line with extra flags (-o json, --progress plain…); onCall sees every
 * operation the command makes, with the AbortController that stands for Ctrl-C.
 */
export async function replay(
  name: string,
  extra: string[] = [],
  onCall?: (key: string, interrupt: AbortController) => void,
  columns = 100,
): Promise<Replayed> {
  const r = recording(name);
  const interrupt = new AbortController();
  // The command's clock is the recording's: waits and grace periods take their recorded time, at once.
  mock.timers.enable({ apis: ['Date', 'setTimeout', 'setInterval'], now: r.startedAt });
  const clock = (atMs: number) => {
    const behind = r.startedAt + atMs - Date.now();
    if (behind > 0) mock.timers.tick(behind);
  };
  const cluster = new ReplayCluster(r, interrupt.signal, onCall && ((key) => onCall(key, interrupt)), clock);
  let out = '';
  let err = '';
  const progress: string[] = [];
  // The task list writes to process.stderr itself.
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk: string | Uint8Array) => {
    progress.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  try {
    const code = await main(
      [...withoutProgress(r.argv), ...extra],
      interrupt.signal,
      { out: (t) => (out += t), err: (t) => (err += t) },
      columns,
      cluster,
    );
    return { code, out, err, progress, cluster };
  } finally {
    process.stderr.write = write;
    mock.timers.reset();
  }
}
