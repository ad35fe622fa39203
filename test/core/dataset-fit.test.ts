/**
 * Issue 14 §7: the data-dependent config checks in plain words, one function for the New Run form
 * (live), checkConfig and the training worker (CLI too), and the data set shape they read.
 */
import { describe, expect, it } from 'vitest';
import { datasetShape } from '../../src/core/data/index';
import { datasetFitProblems, type DatasetShape } from '../../src/shared/dataset-fit';
import { checkRunConfig } from '../../src/main/services/catalog';
import { PRESETS } from '../../src/core/model/presets';

const MNIST: DatasetShape = { label: 'MNIST', rows: 28, cols: 28, classes: 10, trainCount: 60000, testCount: 10000 };
const config = (layers: number[], dataset: { trainSize?: number; testSize?: number } = {}) => ({
  model: { layers },
  dataset,
});

describe('datasetFitProblems', () => {
  it('accepts a fitting config', () => {
    expect(datasetFitProblems(config([784, 128, 10], { trainSize: 60000, testSize: 500 }), MNIST)).toEqual([]);
  });
  it('says what the first layer must be and why, on model.layers[0]', () => {
    expect(datasetFitProblems(config([100, 128, 10]), MNIST)).toEqual([
      {
        field: 'model.layers[0]',
        message: 'the first layer must have 784 neurons, one per pixel of MNIST (28x28 images); it has 100',
      },
    ]);
  });
  it('names the last layer by its index and the class count', () => {
    expect(datasetFitProblems(config([784, 64, 32, 5]), MNIST)).toEqual([
      {
        field: 'model.layers[3]',
        message: 'the last layer must have at least 10 neurons, one per class of MNIST; it has 5',
      },
    ]);
    expect(datasetFitProblems(config([784, 64, 12]), MNIST)).toEqual([]); // more outputs than classes is allowed
  });
  it('refuses subsets larger than the split, in words, on the subset field', () => {
    const problems = datasetFitProblems(config([784, 10], { trainSize: 70000, testSize: 20000 }), MNIST);
    expect(problems.map((p) => p.field)).toEqual(['dataset.trainSize', 'dataset.testSize']);
    expect(problems[0].message).toBe(
      'MNIST has 60,000 training images: the training subset can be at most 60,000, not 70,000',
    );
    expect(problems[1].message).toMatch(/MNIST has 10,000 test images/);
  });
});

describe('datasetShape', () => {
  it("reads MNIST's image size, classes and split sizes from its files", () => {
    expect(datasetShape('mnist')).toEqual(MNIST);
  });
});

describe('checkConfig (the backend) says the same words on the same field', () => {
  const quick = PRESETS.find((p) => p.name === 'quick')!.config;
  it('a first layer of 100 on MNIST', () => {
    const bad = structuredClone(quick);
    bad.model.layers = [100, ...bad.model.layers.slice(1)];
    expect(() => checkRunConfig(bad)).toThrow(
      expect.objectContaining({
        field: 'model.layers[0]',
        message: expect.stringMatching(/^the first layer must have 784 neurons, one per pixel of MNIST/),
      }),
    );
  });
  it('a training subset larger than MNIST', () => {
    const bad = structuredClone(quick);
    bad.dataset.trainSize = 70000;
    expect(() => checkRunConfig(bad)).toThrow(expect.objectContaining({ field: 'dataset.trainSize' }));
  });
});
