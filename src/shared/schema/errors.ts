/**
 * The one error class for input that cannot be used: a run config (file, flags, form, IPC/HTTP),
 * an API argument, a study spec. `field` is the dotted path of the offending value
 * ("training.epochs", "model.layers[0]", "arg1.rates[2]"; empty for whole-input problems); it
 * crosses the wire (HTTP body, IPC message envelope, see ./wire.ts) so the app can put the message
 * next to the right form field.
 */
export class LabValidationError extends Error {
  override name = 'LabValidationError';
  /** dotted path of the offending value; '' when the problem is the whole input */
  readonly field: string;
  /** the command-line flag that set the field, when it came from a flag (e.g. "--epochs") */
  readonly flag?: string;
  /** the JSON config file involved, when the problem is in (or about) a file */
  readonly file?: string;

  constructor(message: string, opts: { field?: string; flag?: string; file?: string } = {}) {
    super(message);
    this.field = opts.field ?? '';
    if (opts.flag !== undefined) this.flag = opts.flag;
    if (opts.file !== undefined) this.file = opts.file;
  }
}

/** Names a validation error may arrive under from older code paths or a worker (re-created by name). */
export const VALIDATION_ERROR_NAMES: readonly string[] = ['LabValidationError', 'ConfigError'];

/** True for a LabValidationError, also one re-created from its name (worker thread, HTTP reply). */
export function isValidationError(err: unknown): err is LabValidationError {
  return err instanceof Error && VALIDATION_ERROR_NAMES.includes(err.name);
}
