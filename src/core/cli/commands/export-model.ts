/** `sen-lab export-model --run ID --out FILE`: every parameter of a run's final model as JSON. */
import { resolve } from 'node:path';
import { decodeArrays, type NamedArray } from '../../../shared/codec';
import type { ModelSpec } from '../../../shared/model-spec';
import type { RunConfig } from '../../../shared/run-config';
import { initialParamNames } from '../../model/network';
import type { RunStore } from '../../store/index';
import { bool, parseCommand, str, UsageError, type OptionSpec } from '../args';
import { printJson, withStore, type CliContext, type Command } from '../context';
import { thousands } from '../format';
import { checkOutPath, writeOutFile } from '../out-file';

const OPTIONS = {
  run: { type: 'string' },
  out: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

const USAGE = `Usage: sen-lab export-model --run ID --out FILE [--db FILE] [--json]

Write every parameter of a run's final model as JSON (format: docs/model-format.md).

Options:
  --run ID               the run (id or unique prefix)
  --out FILE             output file ('-' for stdout)
  --db FILE              run database (default: $SEN_LAB_DB or the per-user data folder)
  --json                 print {"runId","out","arrays","values"} on stdout (with --out -, the export itself)
  -h, --help             show this help
`;

/** Format identifier and version written into every export. */
export const MODEL_FORMAT = { name: 'sen-lab-model', version: 1 } as const;

/** The exported document (see docs/model-format.md). */
export interface ModelExport {
  format: typeof MODEL_FORMAT.name;
  version: typeof MODEL_FORMAT.version;
  runId: string;
  runName: string;
  exportedAt: string;
  model: ModelSpec;
  config: RunConfig;
  params: Record<string, { shape: number[]; data: number[] }>;
}

export const command: Command = { name: 'export-model', usage: USAGE, run };

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseCommand(argv, OPTIONS);
  const id = str(p, 'run');
  const out = str(p, 'out');
  if (id === undefined) throw new UsageError('missing --run ID');
  if (out === undefined) throw new UsageError('missing --out FILE');
  const path = out === '-' ? '-' : resolve(ctx.cwd, out);
  if (path !== '-') checkOutPath(path); // before reading the store: a bad --out is a usage error
  const doc = await withStore(str(p, 'db'), (store) => exportModel(store, id), 'read');
  const text = JSON.stringify(doc) + '\n';
  if (path === '-') ctx.stdout.write(text);
  else {
    writeOutFile(path, text);
    const count = Object.values(doc.params).reduce((s, a) => s + a.data.length, 0);
    const arrays = Object.keys(doc.params).length;
    if (bool(p, 'json')) printJson(ctx.stdout, { runId: doc.runId, out: path, arrays, values: count });
    else ctx.stderr.write(`wrote ${arrays} arrays (${thousands(count)} values) to ${path}\n`);
  }
  return 0;
}

/**
 * Every parameter a final model of this spec holds (the names `Network` creates, in that order,
 * learned spiking `beta.{l}` / `threshold.{l}` included), with the shape each must have.
 */
export function expectedParams(spec: ModelSpec): { name: string; shape: number[] }[] {
  return initialParamNames(spec).map((name) => ({ name, shape: paramShape(spec, name) }));
}

/** The shape of one named parameter (see docs/model-format.md). */
function paramShape(spec: ModelSpec, name: string): number[] {
  const [kind, index] = name.split('.');
  const l = Number(index);
  const n = spec.layers;
  if (kind === 'weight') return [n[l], n[l + 1]];
  if (kind === 'pos') return [n[l], (spec.kind === 'spatial' ? spec.dim : 2) - 1];
  if (kind === 'gap' || kind === 'beta' || kind === 'threshold' || kind === 'dist') return [1];
  return [n[l]]; // z, inhib, bias
}

/**
 * Build the export document of a run's final model.
 * @throws when the run is unknown, has no final model, or the model does not match its spec
 */
export function exportModel(store: RunStore, id: string): ModelExport {
  const run = store.getRun(id);
  const bytes = store.getFinalModel(run.id);
  if (!bytes) throw new Error(`run ${run.id} has no final model (status ${run.status}); finish or resume it first`);
  const { arrays } = decodeArrays<{ spec?: ModelSpec }>(bytes);
  const byName = new Map(arrays.map((a) => [a.name, a]));
  const params: ModelExport['params'] = {};
  for (const want of expectedParams(run.config.model)) {
    const a = byName.get(want.name);
    if (!a) throw new Error(`final model of run ${run.id} lacks parameter ${want.name}`);
    if (a.shape.join(',') !== want.shape.join(',')) {
      throw new Error(`final model of run ${run.id}: ${want.name} has shape [${a.shape}], expected [${want.shape}]`);
    }
    params[want.name] = { shape: a.shape, data: toNumbers(a) };
  }
  return {
    format: MODEL_FORMAT.name,
    version: MODEL_FORMAT.version,
    runId: run.id,
    runName: run.name,
    exportedAt: new Date().toISOString(),
    model: run.config.model,
    config: run.config,
    params,
  };
}

/** Each float32 as the shortest decimal that reads back as the same float32. */
function toNumbers(a: NamedArray): number[] {
  const out = new Array<number>(a.data.length);
  for (let i = 0; i < a.data.length; i++) out[i] = shortestFloat32(a.data[i]);
  return out;
}

function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  for (let p = 1; p < 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return Number(x.toPrecision(9));
}
