/**
 * Figure requests that do not fit the run are the caller's mistake, not the lab's: transports
 * answer them with 4xx (by name, since errors cross the figure worker re-created by name).
 */

/** The figure kind or an option does not fit the run (raster of a non-spiking run, a missing layer, ...). HTTP 400. */
export class FigureRequestError extends Error {
  override name = 'FigureRequestError';
}

/** The run has nothing to draw yet (no finished epoch, no final model). HTTP 409. */
export class FigureStateError extends Error {
  override name = 'FigureStateError';
}
