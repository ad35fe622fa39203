/**
 * A run configuration that cannot be used: the one validation error class of src/shared/schema
 * (`field` is the dotted path of the offending field, `flag` / `file` where it came from), under
 * the name the engine's modules have always imported.
 */
export { LabValidationError as ConfigError } from '../../shared/schema/errors';
