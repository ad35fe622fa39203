/**
 * Type mirror of the renderer lib functions exercised by run-form.test.ts (the renderer's files are
 * not part of this TS project). Kept tiny: only what the tests touch.
 */
import type { RunConfig } from '../../src/shared/run-config';

export type FieldKey =
  | 'preset' | 'kind' | 'layers' | 'dim' | 'zMode' | 'inhibitionSteepness' | 'distanceEpsilon' | 'initSpread'
  | 'initInhibition' | 'hiddenActivation' | 'dataset' | 'datasetPath' | 'trainSize' | 'testSize' | 'epochs'
  | 'batchSize' | 'learningRate' | 'seed' | 'kernel' | 'snapshotEvery' | 'name' | 'tags'
  | 'spiking' | 'timeSteps' | 'beta' | 'threshold' | 'learnBeta' | 'learnThreshold' | 'reset' | 'surrogate'
  | 'surrogateSlope' | 'encoding' | 'decoding';
export type RunForm = Record<FieldKey, string | boolean>;
export type FieldErrors = Partial<Record<FieldKey, string>>;

export interface RunFormLib {
  configToForm(config: RunConfig): RunForm;
  formToConfig(form: RunForm): { config?: RunConfig; errors: FieldErrors };
  fieldOfMessage(message: string): FieldKey | undefined;
  parseLayers(text: string): number[] | string;
}

export interface DiffRow {
  key: string;
  values: unknown[];
  differs: boolean;
}

export interface FrameClockLike {
  readonly interval: number;
  readonly count: number;
  setInterval(ms: number): void;
  schedule(key: unknown, task: () => void, first?: boolean): void;
  cancel(key: unknown): void;
  dispose(): void;
}
export type FrameClockCtor = new (intervalMs: number, onError?: (err: unknown) => void) => FrameClockLike;
