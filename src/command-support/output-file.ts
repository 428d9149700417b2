// Files a command writes (--report, --junit) are checked before anything changes in the cluster, not after a
// whole tour: a path that cannot be written is bad input (exit 2).
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.ts';

export function writableFile(flag: string, file: string): string {
  const dir = dirname(resolve(file));
  const fail = (why: string) => {
    throw new UsageError(`cannot write ${flag} ${file}: ${why}`);
  };
  if (!existsSync(dir)) fail(`no such directory ${dir}`);
  if (existsSync(file) && statSync(file).isDirectory()) fail('it is a directory');
  try {
    accessSync(existsSync(file) ? file : dir, constants.W_OK);
  } catch {
    fail('permission denied');
  }
  return file;
}
