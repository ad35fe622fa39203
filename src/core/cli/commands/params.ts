/** `sen-lab params`: exact trainable parameter count of a preset or a model given by flags. */
import { buildRunConfig } from '../../config/build-config';
import { countConnections, countParams } from '../../model/param-count';
import { matchedDense } from '../../model/matched-dense';
import { findPreset, PRESETS } from '../../model/presets';
import { bool, parseCommand, str, UsageError, type OptionSpec, type Parsed } from '../args';
import { MODEL_OPTIONS, MODEL_USAGE, overridesFromFlags } from '../config-flags';
import { printJson, type CliContext, type Command } from '../context';
import { layersText, table, thousands } from '../format';

const OPTIONS = {
  ...MODEL_OPTIONS,
  json: { type: 'boolean' },
  list: { type: 'boolean' },
  'matched-dense': { type: 'string' },
} as const satisfies OptionSpec;

const USAGE = `Usage: sen-lab params [--preset NAME | model flags] [--json]
       sen-lab params --list [--json]
       sen-lab params --matched-dense PRESET|CONFIG.json [--json]

Count trainable parameters exactly as the paper does (positions, biases, inhibition masks, gaps).

${MODEL_USAGE}
Output:
  --matched-dense X      the hidden width whose dense MLP (same input, output and number of hidden
                         layers) has the parameter count closest to preset or config file X's, as
                         the paper matched B14/B17 to its spatial networks; also the smallest width
                         with at least as many parameters
  --list                 every preset with its parameter count
  --json                 {"params": N, "model": {...}} (with --list: an array)
  -h, --help             show this help
`;

export const command: Command = { name: 'params', usage: USAGE, run };

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseCommand(argv, OPTIONS);
  if (bool(p, 'list')) return listPresets(bool(p, 'json'), ctx);
  const matched = str(p, 'matched-dense');
  if (matched !== undefined) return printMatchedDense(matched, p, ctx);
  const config = buildRunConfig({
    preset: str(p, 'preset'),
    configFile: str(p, 'config'),
    overrides: overridesFromFlags(p),
    cwd: ctx.cwd,
  });
  const params = countParams(config.model);
  if (bool(p, 'json')) {
    printJson(ctx.stdout, { params, model: config.model });
    return 0;
  }
  const m = config.model;
  const desc =
    m.kind === 'spatial' ? `spatial ${layersText(m.layers)}, d=${m.dim}, ${m.zMode}` : `dense ${layersText(m.layers)}`;
  ctx.stdout.write(`${thousands(params)} parameters (${desc}; ${thousands(countConnections(m.layers))} connections)\n`);
  return 0;
}

function printMatchedDense(source: string, p: Parsed, ctx: CliContext): number {
  const others = configFlagsOf(p);
  if (others.length) throw new UsageError(`--matched-dense takes a preset or config file alone; drop --${others[0]}`);
  if (source.trim() === '') throw new UsageError('invalid --matched-dense: give a preset name or a config file');
  const config = findPreset(source)
    ? buildRunConfig({ preset: source })
    : buildRunConfig({ configFile: source, cwd: ctx.cwd });
  const m = matchedDense(config.model);
  if (bool(p, 'json')) {
    printJson(ctx.stdout, { model: config.model, ...m });
    return 0;
  }
  const pct = (n: number): string => `${n >= m.target ? '+' : ''}${(((n - m.target) / m.target) * 100).toFixed(1)} %`;
  ctx.stdout.write(
    `${source}: ${thousands(m.target)} parameters (${layersText(config.model.layers)})\n` +
      `closest dense: hidden width ${m.closest.width} -> ${layersText(m.closest.layers)}, ${thousands(m.closest.params)} parameters (${pct(m.closest.params)})\n` +
      `smallest dense with at least as many: hidden width ${m.atLeast.width} -> ${layersText(m.atLeast.layers)}, ` +
      `${thousands(m.atLeast.params)} parameters (${pct(m.atLeast.params)})\n`,
  );
  return 0;
}

/** Model flags given along with --matched-dense (which takes its model from its argument). */
function configFlagsOf(p: Parsed): string[] {
  return Object.keys(MODEL_OPTIONS).filter((k) => p.values[k] !== undefined);
}

function listPresets(json: boolean, ctx: CliContext): number {
  const rows = PRESETS.map((p) => ({
    preset: p.name,
    params: countParams(p.config.model),
    description: p.description,
  }));
  if (json) printJson(ctx.stdout, rows);
  else
    ctx.stdout.write(
      table(
        ['PRESET', 'PARAMS', 'DESCRIPTION'],
        rows.map((r) => [r.preset, thousands(r.params), r.description]),
      ),
    );
  return 0;
}
