/**
 * A data set's class names: an IDX folder may hold a `classes.txt`, one name per line in label
 * order (line 1 names label 0); Fashion-MNIST's names are built in. Used by figures and views.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinClassNames } from '../../shared/class-names';
import { DatasetError } from './idx';

export const CLASSES_FILE = 'classes.txt';
const MAX_NAME = 60;

/**
 * The class names of data set `name` stored in `dir` with `classes` labels: `classes.txt` when the
 * folder has one, else the built-in names (Fashion-MNIST), else undefined (numbers are shown).
 * @throws DatasetError for a classes.txt that is not one non-empty, distinct name (at most 60
 *         characters) per label
 */
export function readClassNames(name: string, dir: string, classes: number): string[] | undefined {
  const file = join(dir, CLASSES_FILE);
  if (!existsSync(file)) {
    const builtin = builtinClassNames(name);
    return builtin && builtin.length >= classes ? builtin.slice(0, classes) : undefined;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DatasetError(file, `cannot read the class names: ${err instanceof Error ? err.message : String(err)}`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const names = lines.map((l) => l.trim());
  const empty = names.findIndex((n) => n === '');
  if (empty >= 0) throw new DatasetError(file, `line ${empty + 1} is empty; give one class name per line`);
  const long = names.findIndex((n) => n.length > MAX_NAME);
  if (long >= 0) throw new DatasetError(file, `line ${long + 1} is longer than ${MAX_NAME} characters`);
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const first = seen.get(n);
    if (first !== undefined) throw new DatasetError(file, `lines ${first + 1} and ${i + 1} both name '${n}'`);
    seen.set(n, i);
  });
  if (names.length !== classes) {
    throw new DatasetError(
      file,
      `has ${names.length} class name${names.length === 1 ? '' : 's'} but the labels have ${classes} classes (0..${classes - 1}); give one name per line in label order`,
    );
  }
  return names;
}
