/**
 * `sen-lab sweep task --job FILE --index N` (hidden): what one Slurm array task runs on its node.
 * SIGTERM (scancel, time limit, pre-emption) stops after the current batch and seals the bundle with
 * the run 'interrupted' and its checkpoint; exit 143 then, 0 when the training completed, 1 on failure.
 */
import { plural } from '../../../shared/format';
import { int, parseCommand, str, UsageError } from '../args';
import type { CliContext } from '../context';

export async function runTaskCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseCommand(argv, { job: { type: 'string' }, index: { type: 'string' } });
  const jobFile = str(p, 'job');
  const index = int('index', str(p, 'index') ?? process.env.SLURM_ARRAY_TASK_ID, 0);
  if (jobFile === undefined || index === undefined) throw new UsageError('sweep task needs --job FILE and --index N');
  const { readJobFile, runSweepTask } = await import('../../sweep/task');
  const job = readJobFile(jobFile);
  const controller = new AbortController();
  let signalName: string | null = null;
  const onSignal = (sig: NodeJS.Signals): void => {
    signalName ??= sig;
    ctx.stderr.write(`${sig}: stopping after the current batch, sealing the bundle\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const m = await runSweepTask(job, index, controller.signal);
    ctx.stdout.write(
      `training ${index} of sweep ${job.sweepId}: run ${m.runId} ${m.status} after ${plural(m.epochsDone, 'epoch')}\n`,
    );
    if (m.status === 'completed') return 0;
    return signalName === 'SIGINT' ? 130 : 143;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
