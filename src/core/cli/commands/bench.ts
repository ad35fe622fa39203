/** `sen-lab bench`: the training-throughput benchmark of bench/run-bench.ts. */
import type { CliContext, Command } from '../context';

const USAGE = `Usage: sen-lab bench [--presets a,b] [--batches N] [--warmup N] [--kernel fused|tfjs|simd] [--json]
                     [--compare-torch [--pairs N]]

Measure training throughput per preset (2 warm-up batches, then 10 timed batches of the preset's
batch size on MNIST), each preset in a fresh process. --json prints one line per preset:
{"preset","samplesPerSec","msPerStep","backend","peakRssMB","kernel","threads","timeSteps",...}. Spiking
presets (snn-quick, paper-snn-3d, ...) also report their time steps T (null otherwise).
--compare-torch also runs the PyTorch references (../shared/bench/torch_reference_*.py, or
$SEN_LAB_TORCH_BENCH; /usr/bin/python3 with torch), ours and PyTorch alternating, N pairs (default 3),
and prints ours/PyTorch per preset as the median of the pair ratios. SEN_LAB_THREADS sets our threads.
`;

export const command: Command = { name: 'bench', usage: USAGE, run };

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { benchMain } = await import('../../../../bench/run-bench');
  return benchMain(argv, ctx.stdout as NodeJS.WritableStream, ctx.stderr as NodeJS.WritableStream);
}
