export { EmbeddingPlot } from './embedding-plot';
export { divergingHex } from './palette';
export { layerTitle } from './layout';
export * from './types';
