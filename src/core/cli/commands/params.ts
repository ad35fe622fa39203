/** `sen-lab params`: exact trainable parameter count of a preset or a model given by flags. */
import { buildRunConfig } from '../../config/build-config';
import { countConnections, countParams } from '../../model/param-count';
import { PRESETS } from '../../model/presets';
import { bool, parseCommand, str, type OptionSpec } from '../args';
import { MODEL_OPTIONS, MODEL_USAGE, overridesFromFlags } from '../config-flags';
import { printJson, type CliContext, type Command } from '../context';
import { layersText, table, thousands } from '../format';

const OPTIONS = { ...MODEL_OPTIONS, json: { type: 'boolean' }, list: { type: 'boolean' } } as const satisfies OptionSpec;

const USAGE = `Usage: sen-lab params [--preset NAME | model flags] [--json]
       sen-lab params --list [--json]

Count trainable parameters exactly as the paper does (positions, biases, inhibition masks, gaps).

${MODEL_USAGE}
Output:
  --list                 every preset with its parameter count
  --json                 {"params": N, "model": {...}} (with --list: an array)
  -h, --help             show this help
`;

export const command: Command = { name: 'params', usage: USAGE, run };

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseCommand(argv, OPTIONS);
  if (bool(p, 'list')) return listPresets(bool(p, 'json'), ctx);
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
  const desc = m.kind === 'spatial' ? `spatial ${layersText(m.layers)}, d=${m.dim}, ${m.zMode}` : `dense ${layersText(m.layers)}`;
  ctx.stdout.write(`${thousands(params)} parameters (${desc}; ${thousands(countConnections(m.layers))} connections)\n`);
  return 0;
}

function listPresets(json: boolean, ctx: CliContext): number {
  const rows = PRESETS.map((p) => ({ preset: p.name, params: countParams(p.config.model), description: p.description }));
  if (json) printJson(ctx.stdout, rows);
  else ctx.stdout.write(table(['PRESET', 'PARAMS', 'DESCRIPTION'], rows.map((r) => [r.preset, thousands(r.params), r.description])));
  return 0;
}
