/** `sen-lab runs show ID`: one run in detail. */
import { plural } from '../../../shared/format';
import type { SpatialModelSpec } from '../../../shared/model-spec';
import type { RunDetail } from '../../../shared/run-config';
import type { RunStore } from '../../store/index';
import { DEFAULT_MAX_SNAPSHOTS } from '../../store/snapshot-thinning';
import { printJson, type CliContext } from '../context';
import { duration, fixed, layersText, percent, table, thousands } from '../format';

/** Print a run's summary, config and epochs (or the RunDetail as JSON). */
export function showRun(store: RunStore, id: string, json: boolean, ctx: CliContext): number {
  const run = store.getRun(id);
  if (json) {
    printJson(ctx.stdout, run);
    return 0;
  }
  ctx.stdout.write(summaryText(run));
  ctx.stdout.write(`${'snapshots'.padEnd(12)}${snapshotsText(run, store.getSnapshotEpochs(run.id))}\n`);
  if (run.epochs.length > 0) {
    const rows = run.epochs.map((e) => [
      String(e.epoch),
      fixed(e.trainLoss),
      percent(e.trainAccuracy),
      fixed(e.testLoss),
      percent(e.testAccuracy),
      duration(e.durationMs),
      thousands(e.samplesPerSec),
    ]);
    ctx.stdout.write(
      '\n' + table(['EPOCH', 'TRAIN LOSS', 'TRAIN ACC', 'TEST LOSS', 'TEST ACC', 'TIME', 'SAMPLES/S'], rows),
    );
  }
  return 0;
}

/** How many position snapshots are kept and why not every one (the bound, evenly thinned). */
export function snapshotsText(run: RunDetail, epochs: number[]): string {
  const max = run.config.maxSnapshots ?? DEFAULT_MAX_SNAPSHOTS;
  const every = run.config.snapshotEvery;
  const kept =
    `${thousands(epochs.length)} kept` + (epochs.length ? ` (epochs ${epochs[0]}..${epochs[epochs.length - 1]})` : '');
  return `${kept}; at most ${thousands(max)} per run, thinned evenly (first and last kept)${every > 1 ? `, one every ${every} epochs` : ''}`;
}

/** ', K=power(p=2, learned)' for a non-default distance kernel, else nothing. */
function kernelText(m: SpatialModelSpec): string {
  if (!m.distance || m.distance === 'inverse') return '';
  const t =
    m.distance === 'power'
      ? `p=${m.distancePower}`
      : `${m.distance === 'exponential' ? 'lambda' : 'sigma'}=${m.distanceScale}`;
  return `, K=${m.distance}(${t}${m.learnDistance ? ', learned' : ''})`;
}

function summaryText(run: RunDetail): string {
  const c = run.config;
  const m = c.model;
  const model =
    m.kind === 'spatial'
      ? `spatial ${layersText(m.layers)}, d=${m.dim}, ${m.zMode}, k=${m.inhibitionSteepness}, eps=${m.distanceEpsilon}, ${m.hiddenActivation}` +
        kernelText(m)
      : `dense ${layersText(m.layers)}, ${m.hiddenActivation}`;
  const sizes = [
    c.dataset.trainSize && `train ${c.dataset.trainSize}`,
    c.dataset.testSize && `test ${c.dataset.testSize}`,
  ]
    .filter(Boolean)
    .join(', ');
  const lines: [string, string][] = [
    ['id', run.id],
    ['name', run.name],
    ['status', run.status + (run.archived ? ' (archived)' : '')],
    ['preset', run.preset ?? '-'],
    ['model', model],
    ['params', thousands(run.params)],
    ['dataset', c.dataset.name + (sizes ? ` (${sizes})` : '')],
    [
      'training',
      `${plural(c.training.epochs, 'epoch')}, batch ${c.training.batchSize}, lr ${c.training.learningRate}, seed ${c.training.seed}`,
    ],
    ['kernel', c.kernel],
    ['backend', run.backend],
    ['epochs', `${run.epochsDone}/${run.epochsPlanned}`],
    ['test acc', percent(run.testAccuracy)],
    ['train loss', fixed(run.trainLoss)],
    ['duration', duration(run.durationMs)],
    ['created', run.createdAt],
    ['finished', run.finishedAt ?? '-'],
    ['tags', run.tags.join(', ') || '-'],
  ];
  if (run.notes) lines.push(['notes', run.notes]);
  if (run.error) lines.push(['error', run.error]);
  const width = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}
