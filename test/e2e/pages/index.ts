export { ARTIFACTS, EmbeddingPanel, LabPage, type AppLocation } from './base';
export { ComparePage, type DiffRowData } from './compare-page';
export { DetailPage } from './detail-page';
export { HistoryPage } from './history-page';
export {
  chromiumMissing,
  CHROMIUM,
  ensureRendererBuilt,
  LabServerProcess,
  launchChromium,
  pollNode,
  pollPage,
  rendererStale,
  ROOT,
} from './lab-app';
export { LivePage } from './live-page';
export { NewRunPage, type RunFields } from './new-run-page';
export { decodePng, inkShare, pixelDifference } from './png';
