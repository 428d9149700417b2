// listr2 factory: progress always goes to stderr so stdout stays pipeable (-o json | jq),
// the live renderer only on a terminal outside CI, plain lines otherwise. listr2 is
// imported lazily so --help and usage errors never load it.
import type { ListrTask } from 'listr2';
import type { ProgressMode } from '../options.ts';

export type Task<C = object> = ListrTask<C>;

export interface TaskOptions {
  progress: ProgressMode;
  concurrent?: boolean | number;
}

export type RendererChoice = 'default' | 'simple' | 'silent';

export function chooseRenderer(
  progress: ProgressMode,
  env: NodeJS.ProcessEnv,
  stderr: { isTTY?: boolean; columns?: number },
): RendererChoice {
  if (progress === 'none') return 'silent';
  if (progress === 'plain') return 'simple';
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false';
  // A TTY that reports no width (some CI PTYs) makes the live renderer wrap at column 1.
  return stderr.isTTY && !ci && (stderr.columns ?? 0) > 0 ? 'default' : 'simple';
}

export async function runTasks<C extends object>(tasks: Task<C>[], opts: TaskOptions, ctx = {} as C): Promise<C> {
  const { Listr, ListrLogger, ProcessOutput, PRESET_TIMER } = await import('listr2');
  const renderer = chooseRenderer(opts.progress, process.env, process.stderr);
  const logger = new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) });
  const list = new Listr<C, 'default' | 'simple' | 'silent', 'simple'>(tasks, {
    ctx,
    concurrent: opts.concurrent ?? false,
    // sts-lab handles Ctrl-C itself (exit 130, aborting watches and exec sockets).
    registerSignalListeners: false,
    renderer,
    fallbackRenderer: 'simple',
    fallbackRendererCondition: false,
    rendererOptions: { logger, timer: PRESET_TIMER, collapseSubtasks: false, collapseErrors: false },
    fallbackRendererOptions: { logger, timer: PRESET_TIMER },
  });
  return list.run();
}
