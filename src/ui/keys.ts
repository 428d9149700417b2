// One key the learner presses on the terminal while the lab waits for them. Raw mode only
// while someone listens, so the shell gets its terminal back as it was; Ctrl-C typed in raw
// mode arrives as a byte, and is turned back into the SIGINT every other wait honours.

export interface KeyListener {
  /** The key's name for the live line; undefined when stdin is not a terminal (nothing to press). */
  key: string | undefined;
  on: (cb: () => void) => () => void;
}

const CTRL_C = '\u0003';

export function terminalKey(key: string): KeyListener {
  const stdin = process.stdin;
  if (!stdin.isTTY || !process.stderr.isTTY) return { key: undefined, on: () => () => undefined };
  return {
    key,
    on: (cb) => {
      const onData = (b: Buffer) => {
        const typed = b.toString('utf8');
        if (typed.includes(CTRL_C)) process.kill(process.pid, 'SIGINT');
        else if (typed.toLowerCase().includes(key)) cb();
      };
      stdin.setRawMode(true);
      stdin.on('data', onData);
      stdin.resume();
      return () => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
      };
    },
  };
}
