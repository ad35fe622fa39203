/**
 * The flags that describe a run configuration, shared by `train` and `params`: ONE table. Each row
 * gives the override it sets (its flag name and RunConfig field come from OVERRIDE_FIELDS in
 * src/core/config/build-config.ts), how its value is read, and its help line; the parser options,
 * the usage text and the overrides are all built from it. A new config flag is one row here plus
 * its OVERRIDE_FIELDS entry.
 */
import { MODEL_KINDS } from '../../shared/schema/enums';
import { OVERRIDE_FIELDS, type ConfigOverrides } from '../config/build-config';
import { bool, choice, int, intList, num, str, type OptionSpec, type Parsed } from './args';

/** How a flag's text becomes its override value. */
type Reader = 'num' | 'int' | 'str' | 'ints' | 'flag' | 'kind';

interface FlagRow {
  /** the override it sets, or a flag of its own ('preset', 'config') */
  key: keyof ConfigOverrides | 'preset' | 'config';
  read: Reader;
  /** the value's placeholder in the usage ('' for a boolean flag) */
  arg: string;
  help: string;
}

type Group = { title: string; rows: FlagRow[] };

const row = (key: FlagRow['key'], read: Reader, arg: string, help: string): FlagRow => ({ key, read, arg, help });

/** Flags that only shape the model (what `params` accepts). */
const MODEL_GROUPS: Group[] = [
  {
    title: 'Model:',
    rows: [
      row('preset', 'str', 'NAME', "start from a preset (default: quick); see 'sen-lab params --list'"),
      row('config', 'str', 'FILE.json', 'a (partial) RunConfig in JSON; flags override it, it overrides the preset'),
      row('layers', 'ints', '784,128,10', 'neurons per layer, input first'),
      row('model', 'kind', 'spatial|dense', 'model kind'),
      row('dim', 'num', 'D', 'embedding dimension, 2..64 (spatial)'),
      row('zMode', 'str', 'MODE', 'fixed-gap | learned-gap | relaxed (spatial)'),
      row('steepness', 'num', 'K', 'inhibition steepness k in 2*sigmoid(k*v)-1 (spatial)'),
      row('epsilon', 'num', 'E', 'distance softening epsilon >= 0 (spatial)'),
      row(
        'distance',
        'str',
        'NAME',
        'distance kernel K in w = mask*K(d): inverse (default, 1/d) | power (d^-p) |\nexponential (exp(-d/lambda)) | gaussian (exp(-d^2/(2 sigma^2))) (spatial)',
      ),
      row('distancePower', 'num', 'P', 'p of the power kernel (default 2)'),
      row('distanceScale', 'num', 'S', 'lambda (exponential) or sigma (gaussian), > 0 (default 1)'),
      row('learnDistance', 'flag', '', 'learn p / lambda / sigma, one per layer pair (starting at the value above)'),
    ],
  },
  {
    title: 'Spiking (leaky integrate-and-fire neurons, snnTorch-style; any of these makes the model spiking):',
    rows: [
      row('spiking', 'flag', '', 'spiking neurons with the defaults below (presets snn-quick, paper-snn-*)'),
      row('timeSteps', 'int', 'T', 'simulation steps per image (default 25)'),
      row('beta', 'num', 'B', 'membrane decay in [0, 1] (default 0.95)'),
      row('threshold', 'num', 'X', 'firing threshold > 0 (default 1)'),
      row('learnBeta', 'flag', '', 'learn one beta per layer (default: fixed, as in the paper)'),
      row('learnThreshold', 'flag', '', 'learn one threshold per layer (default: fixed)'),
      row('reset', 'str', 'subtract|zero', 'after a spike: subtract the threshold (default) or reset to zero'),
      row('surrogate', 'str', 'S', "atan (default) | fast-sigmoid: the spike's surrogate gradient"),
      row('surrogateSlope', 'num', 'A', 'atan alpha (default 2) or fast-sigmoid k (default 25)'),
      row(
        'encoding',
        'str',
        'direct|rate',
        'the image as a current every step (default) or Bernoulli rate-coded spikes',
      ),
      row('decoding', 'str', 'D', 'membrane-sum (default: mean output membrane over time) | spike-count'),
    ],
  },
];

/** The training and pruning flags (`train` only). */
const TRAINING_GROUPS: Group[] = [
  {
    title: 'Training:',
    rows: [
      row('epochs', 'num', 'N', 'epochs to train'),
      row('batchSize', 'num', 'N', 'mini-batch size'),
      row('learningRate', 'num', 'X', 'Adam learning rate (> 0)'),
      row('seed', 'num', 'N', 'seed for initialisation and shuffling'),
      row(
        'kernel',
        'str',
        'fused|tfjs|simd',
        "training engine: tfjs with the fused or tfjs spatial kernel, or SEN Lab's WebAssembly SIMD engine (simd)",
      ),
      row('dataset', 'str', 'NAME|DIR', 'mnist, fashion-mnist or a folder of IDX files'),
      row('trainSize', 'num', 'N', 'use only the first N training images'),
      row('testSize', 'num', 'N', 'use only the first N test images'),
      row('snapshotEvery', 'int', 'N', 'store a position snapshot every N epochs'),
      row(
        'maxSnapshots',
        'int',
        'N',
        'keep at most N snapshots per run, thinned evenly, first and last kept (default 200)',
      ),
      row('name', 'str', 'TEXT', 'run name'),
    ],
  },
  {
    title: "Pruning during training (the paper's mode b):",
    rows: [
      row(
        'pruneRate',
        'num',
        'R',
        'remove the fraction R of connections with the smallest |w| (longest) at every step',
      ),
      row('pruneScope', 'str', 'S', 'global (default) | per-layer ranking'),
      row('pruneSchedule', 'str', 'S', 'constant (default: full rate from the start) | gradual (linear ramp)'),
      row('pruneRampEpochs', 'int', 'N', 'epochs of the gradual ramp (default: half the training)'),
      row(
        'pruneRank',
        'str',
        'R',
        "length (default, the paper's: longest connections first) | weight (true |w|, mask included)",
      ),
    ],
  },
  {
    title: 'Wiring:',
    rows: [
      row(
        'wiringCost',
        'num',
        'LAMBDA',
        'add LAMBDA * sum |w| d over all spatial connections to the loss (default 0: off)',
      ),
    ],
  },
];

/** The flag's name without dashes ('batch-size'). */
function flagName(key: FlagRow['key']): string {
  return key === 'preset' || key === 'config' ? key : OVERRIDE_FIELDS[key].flag.slice(2);
}

function options(groups: Group[]): OptionSpec {
  const out: OptionSpec = {};
  for (const r of groups.flatMap((g) => g.rows))
    out[flagName(r.key)] = { type: r.read === 'flag' ? 'boolean' : 'string' };
  return out;
}

/** "  --flag ARG" in a 25-column field, then the help (two spaces after a longer left part). */
function usageLine(r: FlagRow): string {
  const left = `  --${flagName(r.key)}${r.arg ? ` ${r.arg}` : ''}`;
  const help = r.help.replace(/\n/g, `\n${' '.repeat(25)}`); // a help text's second line starts in the help column
  return `${left.length > 24 ? `${left} ` : left.padEnd(24)} ${help}`;
}

function usage(groups: Group[]): string {
  return groups
    .map((g) => [g.title, ...g.rows.map(usageLine)].join('\n'))
    .join('\n\n')
    .concat('\n');
}

/** Parser options of the model flags (`params`). */
export const MODEL_OPTIONS: OptionSpec = options(MODEL_GROUPS);
/** Parser options of every flag that sets part of a RunConfig (`train`). */
export const CONFIG_OPTIONS: OptionSpec = options([...MODEL_GROUPS, ...TRAINING_GROUPS]);
export const MODEL_USAGE = usage(MODEL_GROUPS);
export const TRAINING_USAGE = usage(TRAINING_GROUPS);

function readFlag(p: Parsed, r: FlagRow): unknown {
  const name = flagName(r.key);
  switch (r.read) {
    case 'num':
      return num(name, str(p, name));
    case 'int':
      return int(name, str(p, name));
    case 'ints':
      return intList(name, str(p, name));
    case 'kind':
      return choice(name, str(p, name), MODEL_KINDS);
    case 'flag':
      return bool(p, name) || undefined;
    default:
      return str(p, name);
  }
}

/** Turn parsed flags into config overrides (numbers parsed; ranges checked by the validator). */
export function overridesFromFlags(p: Parsed): ConfigOverrides {
  const out: Record<string, unknown> = {};
  for (const r of [...MODEL_GROUPS, ...TRAINING_GROUPS].flatMap((g) => g.rows)) {
    if (r.key !== 'preset' && r.key !== 'config') out[r.key] = readFlag(p, r);
  }
  return out as ConfigOverrides;
}

/** Names of config flags present on the command line (to reject them where they make no sense). */
export function configFlagsGiven(p: Parsed): string[] {
  return Object.keys(CONFIG_OPTIONS).filter((k) => p.values[k] !== undefined);
}
