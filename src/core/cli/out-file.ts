/**
 * Writing a command's `--out FILE`: the target is checked first (an existing folder or a missing
 * parent folder is a usage error naming the flag), then written atomically (temp file + rename, so
 * an interrupted write never leaves half a file), and an OS error becomes one plain sentence.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../figures/render';
import { UsageError } from './args';

const OS_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
};

/** Usage error when `path` (already resolved) cannot be an output file: a folder, or no parent folder. */
export function checkOutPath(path: string, flag = '--out'): void {
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UsageError(`invalid ${flag}: ${path} is a folder; give a file name`);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`invalid ${flag}: cannot write ${path}: folder ${dir} does not exist`);
}

/** Check `path`, then write `data` atomically; an OS failure is an Error naming the file and the cause. */
export function writeOutFile(path: string, data: string | Uint8Array, flag = '--out'): void {
  checkOutPath(path, flag);
  try {
    writeFileAtomic(path, data);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new Error(`cannot write ${path}: ${OS_WORDS[code] ?? (err as Error).message}`, { cause: err });
  }
}
