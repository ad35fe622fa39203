/**
 * Class names of a data set (issue 14 §10): Fashion-MNIST names its classes, an IDX folder may
 * bring its own in classes.txt (one name per line, label order), a bad file is a clear error.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, FASHION_MNIST_DIR, folderClassNames, loadDataset } from '../../src/core/data';
import { FASHION_MNIST_CLASSES } from '../../src/shared/class-names';
import { writeTinySet } from '../fixtures/idx';

const root = mkdtempSync(join(tmpdir(), 'sen-classes-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** a tiny 3-class IDX folder with `classes` as its classes.txt (none when undefined) */
function folder(classes?: string): string {
  const dir = join(root, `set-${++n}`);
  writeTinySet(dir, { classes: 3 });
  if (classes !== undefined) writeFileSync(join(dir, 'classes.txt'), classes);
  return dir;
}

describe('class names', () => {
  it('a folder without classes.txt has none (digits are shown)', () => {
    expect(loadDataset({ name: folder() }).classNames).toBeUndefined();
  });

  it("reads a folder's classes.txt: one name per line, trimmed, CRLF and a final newline allowed", () => {
    const d = loadDataset({ name: folder('cat\r\n dog \r\nbird\n\n') });
    expect(d.classNames).toEqual(['cat', 'dog', 'bird']);
  });

  for (const [what, text, problem] of [
    ['too few names', 'cat\ndog\n', /has 2 class names but the labels have 3 classes/],
    ['too many names', 'a\nb\nc\nd\n', /has 4 class names but the labels have 3 classes/],
    ['an empty line', 'cat\n\nbird\n', /line 2 is empty/],
    ['a repeated name', 'cat\ndog\ncat\n', /lines 1 and 3 both name 'cat'/],
  ] as const)
    it(`refuses a classes.txt with ${what}, naming the file`, () => {
      const dir = folder(text);
      let caught: unknown;
      try {
        loadDataset({ name: dir });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(DatasetError);
      expect((caught as DatasetError).file).toBe(join(dir, 'classes.txt'));
      expect((caught as Error).message).toMatch(problem);
    });

  it("folderClassNames reads a folder's names without its images; none for a bad, missing or built-in one", () => {
    const dir = folder('cat\ndog\nbird\n');
    expect(folderClassNames(dir, 3)).toEqual(['cat', 'dog', 'bird']);
    expect(folderClassNames(dir, 4)).toBeUndefined(); // the run's output layer no longer fits the file
    expect(folderClassNames(folder(), 3)).toBeUndefined();
    expect(folderClassNames(join(root, 'gone'), 3)).toBeUndefined();
    expect(folderClassNames('mnist', 10)).toBeUndefined();
    expect(folderClassNames('fashion-mnist', 10)).toBeUndefined(); // built in: shared/class-names.ts
  });

  it.skipIf(!existsSync(FASHION_MNIST_DIR))("Fashion-MNIST's ten classes by name", () => {
    const d = loadDataset({ name: 'fashion-mnist', trainSize: 1, testSize: 1 });
    expect(d.classNames).toEqual([...FASHION_MNIST_CLASSES]);
    expect(d.classNames?.[9]).toBe('Ankle boot');
  });
});
