/** The flags that describe a run configuration, shared by `train` and `params`. */
import type { ConfigOverrides } from '../config/build-config';
import { bool, choice, int, intList, num, str, type OptionSpec, type Parsed } from './args';

/** Flags that only shape the model (what `params` accepts). */
export const MODEL_OPTIONS = {
  preset: { type: 'string' },
  config: { type: 'string' },
  layers: { type: 'string' },
  model: { type: 'string' },
  dim: { type: 'string' },
  'z-mode': { type: 'string' },
  steepness: { type: 'string' },
  epsilon: { type: 'string' },
  spiking: { type: 'boolean' },
  'time-steps': { type: 'string' },
  beta: { type: 'string' },
  threshold: { type: 'string' },
  'learn-beta': { type: 'boolean' },
  'learn-threshold': { type: 'boolean' },
  reset: { type: 'string' },
  surrogate: { type: 'string' },
  'surrogate-slope': { type: 'string' },
  encoding: { type: 'string' },
  decoding: { type: 'string' },
  distance: { type: 'string' },
  'distance-power': { type: 'string' },
  'distance-scale': { type: 'string' },
  'learn-distance': { type: 'boolean' },
} as const satisfies OptionSpec;

/** Every flag that sets part of a RunConfig. */
export const CONFIG_OPTIONS = {
  ...MODEL_OPTIONS,
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  kernel: { type: 'string' },
  dataset: { type: 'string' },
  'train-size': { type: 'string' },
  'test-size': { type: 'string' },
  'snapshot-every': { type: 'string' },
  'max-snapshots': { type: 'string' },
  name: { type: 'string' },
  'prune-rate': { type: 'string' },
  'prune-scope': { type: 'string' },
  'prune-schedule': { type: 'string' },
  'prune-ramp-epochs': { type: 'string' },
  'prune-rank': { type: 'string' },
  'wiring-cost': { type: 'string' },
} as const satisfies OptionSpec;

export const MODEL_USAGE = `Model:
  --preset NAME          start from a preset (default: quick); see 'sen-lab params --list'
  --config FILE.json     a (partial) RunConfig in JSON; flags override it, it overrides the preset
  --layers 784,128,10    neurons per layer, input first
  --model spatial|dense  model kind
  --dim D                embedding dimension, 2..64 (spatial)
  --z-mode MODE          fixed-gap | learned-gap | relaxed (spatial)
  --steepness K          inhibition steepness k in 2*sigmoid(k*v)-1 (spatial)
  --epsilon E            distance softening epsilon >= 0 (spatial)
  --distance NAME        distance kernel K in w = mask*K(d): inverse (default, 1/d) | power (d^-p) |
                         exponential (exp(-d/lambda)) | gaussian (exp(-d^2/(2 sigma^2))) (spatial)
  --distance-power P     p of the power kernel (default 2)
  --distance-scale S     lambda (exponential) or sigma (gaussian), > 0 (default 1)
  --learn-distance       learn p / lambda / sigma, one per layer pair (starting at the value above)

Spiking (leaky integrate-and-fire neurons, snnTorch-style; any of these makes the model spiking):
  --spiking              spiking neurons with the defaults below (presets snn-quick, paper-snn-*)
  --time-steps T         simulation steps per image (default 25)
  --beta B               membrane decay in [0, 1] (default 0.95)
  --threshold X          firing threshold > 0 (default 1)
  --learn-beta           learn one beta per layer (default: fixed, as in the paper)
  --learn-threshold      learn one threshold per layer (default: fixed)
  --reset subtract|zero  after a spike: subtract the threshold (default) or reset to zero
  --surrogate S          atan (default) | fast-sigmoid: the spike's surrogate gradient
  --surrogate-slope A    atan alpha (default 2) or fast-sigmoid k (default 25)
  --encoding direct|rate the image as a current every step (default) or Bernoulli rate-coded spikes
  --decoding D           membrane-sum (default: mean output membrane over time) | spike-count
`;

export const TRAINING_USAGE = `Training:
  --epochs N             epochs to train
  --batch-size N         mini-batch size
  --lr X                 Adam learning rate (> 0)
  --seed N               seed for initialisation and shuffling
  --kernel fused|tfjs|simd  training engine: tfjs with the fused or tfjs spatial kernel, or SEN Lab's WebAssembly SIMD engine (simd)
  --dataset NAME|DIR     mnist, fashion-mnist or a folder of IDX files
  --train-size N         use only the first N training images
  --test-size N          use only the first N test images
  --snapshot-every N     store a position snapshot every N epochs
  --max-snapshots N      keep at most N snapshots per run, thinned evenly, first and last kept (default 200)
  --name TEXT            run name

Pruning during training (the paper's mode b):
  --prune-rate R         remove the fraction R of connections with the smallest |w| (longest) at every step
  --prune-scope S        global (default) | per-layer ranking
  --prune-schedule S     constant (default: full rate from the start) | gradual (linear ramp)
  --prune-ramp-epochs N  epochs of the gradual ramp (default: half the training)
  --prune-rank R         length (default, the paper's: longest connections first) | weight (true |w|, mask included)

Wiring:
  --wiring-cost LAMBDA   add LAMBDA * sum |w| d over all spatial connections to the loss (default 0: off)
`;

/** Turn parsed flags into config overrides (numbers parsed; ranges checked by the validator). */
export function overridesFromFlags(p: Parsed): ConfigOverrides {
  return {
    name: str(p, 'name'),
    epochs: num('epochs', str(p, 'epochs')),
    batchSize: num('batch-size', str(p, 'batch-size')),
    learningRate: num('lr', str(p, 'lr')),
    seed: num('seed', str(p, 'seed')),
    layers: intList('layers', str(p, 'layers')),
    model: choice('model', str(p, 'model'), ['spatial', 'dense'] as const),
    dim: num('dim', str(p, 'dim')),
    zMode: str(p, 'z-mode'),
    steepness: num('steepness', str(p, 'steepness')),
    epsilon: num('epsilon', str(p, 'epsilon')),
    kernel: str(p, 'kernel'),
    dataset: str(p, 'dataset'),
    trainSize: num('train-size', str(p, 'train-size')),
    testSize: num('test-size', str(p, 'test-size')),
    snapshotEvery: int('snapshot-every', str(p, 'snapshot-every')),
    maxSnapshots: int('max-snapshots', str(p, 'max-snapshots')),
    pruneRate: num('prune-rate', str(p, 'prune-rate')),
    pruneScope: str(p, 'prune-scope'),
    pruneSchedule: str(p, 'prune-schedule'),
    pruneRampEpochs: int('prune-ramp-epochs', str(p, 'prune-ramp-epochs')),
    pruneRank: str(p, 'prune-rank'),
    wiringCost: num('wiring-cost', str(p, 'wiring-cost')),
    timeSteps: int('time-steps', str(p, 'time-steps')),
    beta: num('beta', str(p, 'beta')),
    threshold: num('threshold', str(p, 'threshold')),
    learnBeta: bool(p, 'learn-beta') || undefined,
    learnThreshold: bool(p, 'learn-threshold') || undefined,
    reset: str(p, 'reset'),
    surrogate: str(p, 'surrogate'),
    surrogateSlope: num('surrogate-slope', str(p, 'surrogate-slope')),
    encoding: str(p, 'encoding'),
    decoding: str(p, 'decoding'),
    spiking: bool(p, 'spiking') || undefined,
    distance: str(p, 'distance'),
    distancePower: num('distance-power', str(p, 'distance-power')),
    distanceScale: num('distance-scale', str(p, 'distance-scale')),
    learnDistance: bool(p, 'learn-distance') || undefined,
  };
}

/** Names of config flags present on the command line (to reject them where they make no sense). */
export function configFlagsGiven(p: Parsed): string[] {
  return Object.keys(CONFIG_OPTIONS).filter((k) => p.values[k] !== undefined);
}
