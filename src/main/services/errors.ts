/**
 * Errors of the lab service that are about the state of a run rather than bad input, e.g.
 * stopping a run that is not training or deleting one that is. Transports map them to
 * "conflict" (HTTP 409); the message is meant for the user as is.
 */
export class LabStateError extends Error {
  override name = 'LabStateError';
}

/**
 * A method this transport does not offer, e.g. `saveFile` in browser mode (the renderer downloads
 * instead). Transports map it to "not implemented" (HTTP 501).
 */
export class LabUnsupportedError extends Error {
  override name = 'LabUnsupportedError';
}
