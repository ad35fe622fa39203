/** A run configuration that cannot be used; `field` is the dotted path of the offending field. */
export class ConfigError extends Error {
  /** dotted path inside RunConfig, e.g. "training.epochs"; empty for whole-file problems */
  readonly field: string;
  /** the command-line flag that set the field, when it came from a flag (e.g. "--epochs") */
  readonly flag?: string;
  /** the JSON config file involved, when the problem is in (or about) a file */
  readonly file?: string;

  constructor(message: string, opts: { field?: string; flag?: string; file?: string } = {}) {
    super(message);
    this.name = 'ConfigError';
    this.field = opts.field ?? '';
    this.flag = opts.flag;
    this.file = opts.file;
  }
}
