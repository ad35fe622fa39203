/**
 * Issue 14 §7 on the command line: a model or subset that does not fit the data set is refused in
 * the same plain words the New Run form shows on the field, and nothing is stored.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store/index';
import { runCliInProcess } from '../figures/helpers';
import { tempDir } from './helpers';

const tmp = tempDir('sen-lab-fit-words-');
const cli = (...args: string[]) => runCliInProcess(args, tmp.dir);
afterAll(() => tmp.cleanup());

describe('sen-lab train: data-dependent mistakes in plain words', () => {
  it('a first layer that is not one neuron per pixel', async () => {
    const r = await cli('train', '--layers', '100,128,10', '--epochs', '1', '--train-size', '200', '--db', tmp.db);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'the first layer must have 784 neurons, one per pixel of MNIST (28x28 images); it has 100',
    );
    expect(r.stderr).not.toContain('model.layers[0]');
  }, 60_000);

  it('a training subset larger than the data set; nothing stored', async () => {
    const r = await cli('train', '--epochs', '1', '--train-size', '70000', '--db', tmp.db);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'MNIST has 60,000 training images: the training subset can be at most 60,000, not 70,000',
    );
    const store = RunStore.open(tmp.db);
    try {
      expect(store.listRuns()).toEqual([]);
    } finally {
      store.close();
    }
  }, 60_000);
});
