import type { LabArgs, LabMethod, LabResult } from '../../shared/lab-api';

/**
 * One method's server side: `args` validates the untrusted raw argument list, `run` does the work
 * with typed arguments. Kept free of Electron types so a browser-mode HTTP server can reuse it.
 */
export interface LabHandler<M extends LabMethod> {
  args: (raw: readonly unknown[]) => LabArgs<M>;
  run: (...args: LabArgs<M>) => LabResult<M> | Promise<LabResult<M>>;
}

export type LabHandlers = { [M in LabMethod]: LabHandler<M> };

/** Handlers of one domain (e.g. `presets/*`); merged and checked for completeness in ./handlers.ts. */
export type DomainHandlers<M extends LabMethod> = Pick<LabHandlers, M>;
