/**
 * How errors thrown by the lab turn into HTTP responses: status from the error's kind, body
 * `{ name, message, field? }` (the client rethrows them as Errors with that name and message).
 */
import { isStoreError } from '../../core/store/index';
import { VALIDATION_ERROR_NAMES } from '../../shared/schema/errors';
import { toWireError, type WireError } from '../../shared/schema/wire';
import { LabStateError, LabUnsupportedError } from '../services/errors';

/** Errors about the request's content: argument checks, run configs, data sets named by a config. */
const BAD_INPUT = new Set([...VALIDATION_ERROR_NAMES, 'DatasetError', 'ResourceLimitError', 'FigureRequestError']);
/** Errors about the state of a run: nothing to draw yet. */
const WRONG_STATE = new Set(['FigureStateError']);

/** 400 bad input, 404 unknown run, 409 wrong run state or a read-only/damaged store, 501 not offered here (saveFile), 503 store closed (shutting down), else 500. */
export function errorStatus(err: unknown): number {
  if (isStoreError(err)) {
    if (err.code === 'not-found') return 404;
    if (err.code === 'invalid' || err.code === 'ambiguous') return 400;
    if (err.code === 'closed') return 503;
    if (err.code === 'conflict') return 409;
    // the lab's file cannot be written (damaged, read-only): a state of the store, not a server bug
    if (err.code === 'read-only' || err.code === 'damaged') return 409;
    return 500;
  }
  if (err instanceof LabStateError) return 409;
  if (err instanceof LabUnsupportedError) return 501;
  // by name: errors from the training worker arrive re-created (WorkerError named 'DatasetError')
  if (err instanceof Error && BAD_INPUT.has(err.name)) return 400;
  if (err instanceof Error && WRONG_STATE.has(err.name)) return 409;
  return 500;
}

/** The JSON error body: name, message and, for a validation error, the field path. */
export function errorBody(err: unknown): WireError {
  return toWireError(err);
}
