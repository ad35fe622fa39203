/** Public API of the data layer: IDX reading, data set loading and mini-batch assembly. */
export type { Dataset, Split } from './types';
export { DatasetError, IDX_TYPE_CODES, parseIdx, readIdx } from './idx';
export type { IdxData, IdxFile, IdxType } from './idx';
export { BUILTIN_DATASETS, FASHION_MNIST_DIR, folderClassNames, loadDataset, resolveDataset } from './datasets';
export type { DatasetFiles, ResolvedDataset } from './datasets';
export { makeBatch } from './batch';
export type { Batch } from './batch';
export { datasetLabel, datasetShape } from './shape';
