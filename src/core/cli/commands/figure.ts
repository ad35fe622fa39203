/** `sen-lab figure --run ID --kind K --out FILE`: publication figures as SVG, PDF or PNG. */
import { PRUNE_SCOPES } from '../../../shared/schema/enums';
import { FONT_LIMITS_PT } from '../../../shared/schema/figures';
import { basename, extname, resolve } from 'node:path';
import type { ExportFigureOptions, ExportFigureResult } from '../../figures/index';
import { FIGURE_KINDS, MULTI_RUN_KINDS, type FigureKind } from '../../figures/load';
// presets and load are light (no pdfkit, no resvg): --help and usage errors stay fast
import {
  COLUMN_WIDTHS_MM,
  DPI_RANGE,
  FIGURE_FORMATS,
  WIDTH_RANGE_MM,
  type ColumnPreset,
  type FigureFormat,
} from '../../figures/presets';
import { bool, choice, int, list, num, parseCommand, str, UsageError, type OptionSpec, type Parsed } from '../args';
import { printJson, withStore, type CliContext, type Command } from '../context';
import { checkOutPath } from '../out-file';

const OPTIONS = {
  run: { type: 'string', multiple: true },
  study: { type: 'string' },
  kind: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  dpi: { type: 'string' },
  width: { type: 'string' },
  'font-size': { type: 'string' },
  digit: { type: 'string' },
  transparent: { type: 'boolean' },
  csv: { type: 'string' },
  'test-size': { type: 'string' },
  edges: { type: 'string' },
  paper: { type: 'boolean' },
  'max-neurons': { type: 'string' },
  rate: { type: 'string' },
  scope: { type: 'string' },
  'test-index': { type: 'string' },
  neuron: { type: 'string', multiple: true },
  db: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

const USAGE = `Usage: sen-lab figure --run ID --kind KIND --out FILE [--format svg|pdf|png] [--width single|double|MM]
                      [--font-size PT] [--dpi N] [--transparent] [--csv FILE] [--db FILE] [--json]
       sen-lab figure --study ID --kind study --out FILE [--paper] [same options]

Publication figures of a run or of a pruning study: vector SVG (text as text) or PDF (font embedded), or PNG at a given dpi.
Colour-blind-safe palettes (Paul Tol); DejaVu Sans everywhere.

Kinds:
  embedding     positions per layer coloured by the masked activation for the average test image
                of one digit, output neurons as labelled x markers (the paper's Fig. 6)
  stacked       layers as tilted planes with the strongest connections, before and after training (Fig. 1)
  curves        loss and accuracy per epoch, train and test (--run may be repeated)
  pruning       test accuracy vs post-training pruning rate 20..95 %, unpruned accuracy dashed (Fig. 3)
  z-histogram   histogram of the learned z per layer of a relaxed run (Fig. 4b)
  raster        spike raster of a spiking run for one test image
  histograms    pruning at --rate: sparsity per layer, distance and |w'| histograms, all vs kept
  membrane      membrane potential of chosen neurons (--neuron) of a spiking run for one test image,
                the threshold dashed
  wiring        per epoch: total length, |w|-weighted length, |w| share of the shortest 10 % of
                connections, Moran's I of class selectivity (hidden layer 1) vs its permutation
                baseline (spatial runs; --run may be repeated)
  study         a pruning study (--study): test accuracy vs sparsity per model, post-training solid,
                during-training dashed, mean ± std over seeds, unpruned accuracy dotted

Options:
  --run ID               the run (id or unique prefix); repeat for several runs in 'curves' and 'wiring'
  --study ID             study: the pruning study (id or unique prefix)
  --kind KIND            ${FIGURE_KINDS.join(' | ')}
  --out FILE             the figure file (written atomically)
  --format F             svg | pdf | png (default: from the --out extension)
  --width W              single (${COLUMN_WIDTHS_MM.single} mm) | double (${COLUMN_WIDTHS_MM.double} mm) | a width in mm
                         (default: double for embedding and stacked, single otherwise); height follows
  --font-size PT         base font size (default 8; tick labels one point smaller)
  --dpi N                PNG resolution (default 300, ${DPI_RANGE[0]}..${DPI_RANGE[1]})
  --transparent          no background (PNG with alpha)
  --csv FILE             also write the numbers behind the figure as CSV
  --digit D              embedding: class of the averaged test image; raster: class of the image (default 0)
  --test-size N          embedding, pruning, raster: use the first N test images (pruning gets faster)
  --edges K              stacked: connections drawn per panel (default 3000)
  --paper                pruning, study: overlay the paper's curves (3D post/during, B14, B2048)
  --max-neurons N        raster: neurons shown per layer, the most active (default 60)
  --rate R               histograms: fraction of connections removed, in [0, 1) (required)
  --scope S              histograms: global | per-layer (default global)
  --test-index N         membrane, raster: index of the test image (membrane default 0; raster default:
                         the first image of --digit)
  --neuron L:I           membrane: neuron I of layer L (1 = first hidden); repeat, at most 8 (required)
  --db FILE              run database (default: $SEN_LAB_DB or the per-user data folder)
  --json                 print {"out","format","kind","widthMm","heightMm","pixels"?} as one line
  -h, --help             show this help
`;

export const command: Command = { name: 'figure', usage: USAGE, run };

/** Flags that only some kinds use: giving them elsewhere is a mistake worth reporting. */
const KIND_FLAGS: Record<string, readonly FigureKind[]> = {
  digit: ['embedding', 'raster'],
  'test-size': ['embedding', 'pruning', 'raster'],
  edges: ['stacked'],
  paper: ['pruning', 'study'],
  'max-neurons': ['raster'],
  rate: ['histograms'],
  scope: ['histograms'],
  'test-index': ['membrane', 'raster'],
  neuron: ['membrane'],
};

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseCommand(argv, OPTIONS);
  const opts = parseOptions(p, ctx.cwd);
  const result = await withStore(
    str(p, 'db'),
    async (store) => {
      const classes =
        opts.digit !== undefined && opts.runIds?.length
          ? (store.getRun(opts.runIds[0]).config.model.layers.at(-1) ?? 0)
          : 0;
      if (opts.digit !== undefined && opts.digit >= classes) {
        throw new UsageError(
          `invalid --digit: the model has ${classes} classes (0..${classes - 1}), got ${opts.digit}`,
        );
      }
      const { exportFigure } = await import('../../figures/index');
      return exportFigure(store, opts);
    },
    'read',
  );
  if (bool(p, 'json')) printJson(ctx.stdout, result);
  else ctx.stdout.write(describe(result));
  return 0;
}

/** Validate every flag before touching the database. */
export function parseOptions(p: Parsed, cwd: string): ExportFigureOptions {
  const runIds = list(p, 'run');
  const studyId = str(p, 'study');
  const kind = choice('kind', str(p, 'kind'), FIGURE_KINDS);
  if (kind === 'study' || (kind === undefined && studyId !== undefined)) {
    if (studyId === undefined || studyId.trim() === '')
      throw new UsageError('missing --study ID (--kind study draws a pruning study)');
    if (runIds.length) throw new UsageError('--run does not apply to --kind study (give --study ID)');
  } else {
    if (studyId !== undefined) throw new UsageError('--study applies to --kind study only');
    if (runIds.length === 0) throw new UsageError('missing --run ID');
  }
  if (!kind) throw new UsageError(`missing --kind (${FIGURE_KINDS.join(', ')})`);
  if (runIds.length > 1 && !MULTI_RUN_KINDS.includes(kind)) {
    throw new UsageError(`--run may be repeated only for --kind ${MULTI_RUN_KINDS.join(' or ')}, not ${kind}`);
  }
  for (const [flag, kinds] of Object.entries(KIND_FLAGS)) {
    if (p.values[flag] !== undefined && !kinds.includes(kind))
      throw new UsageError(`--${flag} applies to ${kinds.join(', ')}, not ${kind}`);
  }
  const outRaw = str(p, 'out');
  if (!outRaw) throw new UsageError('missing --out FILE');
  const out = resolve(cwd, outRaw);
  const format = choice('format', str(p, 'format'), FIGURE_FORMATS) ?? formatFromName(out);
  refuseMismatch(out, format);
  const dpi = int('dpi', str(p, 'dpi'), DPI_RANGE[0]);
  if (dpi !== undefined && dpi > DPI_RANGE[1])
    throw new UsageError(`invalid --dpi: must be at most ${DPI_RANGE[1]}, got ${dpi}`);
  if (dpi !== undefined && format !== 'png')
    throw new UsageError('--dpi applies to --format png only (SVG and PDF are vector)');
  const fontSize = num('font-size', str(p, 'font-size'));
  if (fontSize !== undefined && !(fontSize >= FONT_LIMITS_PT[0] && fontSize <= FONT_LIMITS_PT[1]))
    throw new UsageError(`invalid --font-size: must be between ${FONT_LIMITS_PT.join(' and ')} pt, got ${fontSize}`);
  const csvRaw = str(p, 'csv');
  const csv = csvRaw ? resolve(cwd, csvRaw) : undefined;
  checkOutPath(out);
  if (csv) checkOutPath(csv, '--csv');
  const edges = int('edges', str(p, 'edges'), 0);
  const maxNeurons = int('max-neurons', str(p, 'max-neurons'), 1);
  const rate = num('rate', str(p, 'rate'));
  if (kind === 'histograms' && rate === undefined)
    throw new UsageError('missing --rate R (histograms: a pruning rate in [0, 1))');
  if (rate !== undefined && !(rate >= 0 && rate < 1))
    throw new UsageError(`invalid --rate: must be in [0, 1), got ${rate}`);
  const scope = choice('scope', str(p, 'scope'), PRUNE_SCOPES);
  const neurons = list(p, 'neuron').map((raw) => {
    const m = /^(\d+):(\d+)$/.exec(raw.trim());
    if (!m) throw new UsageError(`invalid --neuron: expected LAYER:INDEX, got ${JSON.stringify(raw)}`);
    return { layer: Number(m[1]), index: Number(m[2]) };
  });
  if (kind === 'membrane' && neurons.length === 0)
    throw new UsageError('missing --neuron L:I (membrane: at least one neuron)');
  if (neurons.length > 8) throw new UsageError(`--neuron may be given at most 8 times, got ${neurons.length}`);
  return {
    kind,
    ...(kind === 'study' ? { studyId } : { runIds }),
    format,
    out,
    ...(csv ? { csv } : {}),
    ...(dpi !== undefined ? { dpi } : {}),
    ...(fontSize !== undefined ? { fontSize } : {}),
    ...optional('width', parseWidth(str(p, 'width'))),
    ...optional('digit', int('digit', str(p, 'digit'), 0)),
    ...optional('testSize', int('test-size', str(p, 'test-size'), 1)),
    ...optional('edges', edges),
    ...optional('maxNeurons', maxNeurons),
    ...optional('rate', rate),
    ...optional('scope', kind === 'histograms' ? (scope ?? 'global') : undefined),
    ...optional('testIndex', int('test-index', str(p, 'test-index'), 0)),
    ...(neurons.length ? { neurons } : {}),
    transparent: bool(p, 'transparent'),
    paper: bool(p, 'paper'),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** `--out c.png --format svg` would write SVG bytes into a .png: refused (a name without a known extension is fine). */
function refuseMismatch(file: string, format: FigureFormat): void {
  const ext = extname(file).slice(1).toLowerCase();
  if ((FIGURE_FORMATS as readonly string[]).includes(ext) && ext !== format) {
    throw new UsageError(
      `--format ${format} does not match the --out name '${basename(file)}' (a .${ext} file); change one of them`,
    );
  }
}

function formatFromName(file: string): FigureFormat {
  const ext = extname(file).slice(1).toLowerCase();
  const f = FIGURE_FORMATS.find((x) => x === ext);
  if (!f) throw new UsageError(`missing --format (svg, pdf or png): the --out name '${file}' does not end in one`);
  return f;
}

function parseWidth(raw: string | undefined): ColumnPreset | number | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'single' || raw === 'double') return raw;
  const mm = num('width', raw.replace(/mm$/, ''));
  if (mm === undefined || !(mm >= WIDTH_RANGE_MM[0] && mm <= WIDTH_RANGE_MM[1])) {
    throw new UsageError(
      `invalid --width: single, double or ${WIDTH_RANGE_MM[0]}..${WIDTH_RANGE_MM[1]} mm, got '${raw}'`,
    );
  }
  return mm;
}

function describe(r: ExportFigureResult): string {
  const px = r.pixels ? `, ${r.pixels[0]} x ${r.pixels[1]} px` : '';
  const lines = [`wrote ${r.out} (${r.kind}, ${r.format}, ${r.widthMm} x ${r.heightMm} mm${px})`];
  if (r.csv) lines.push(`wrote ${r.csv} (data)`);
  return `${lines.join('\n')}\n`;
}
