/**
 * `npm run serve -- [--port N] [--db FILE] [--host 127.0.0.1]` (bin/serve.mjs): browser mode.
 * Prints exactly one line on stdout, the URL to open (token included); everything else goes to
 * stderr. SIGINT/SIGTERM stop running trainings (kept 'interrupted', resumable), close the event
 * streams and the store, and exit 0; a second signal exits at once.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDbPath } from '../../core/store/index';
import { LabService } from '../services/lab-service';
import { isAbiMismatch } from '../services/sqlite-binding';
import { LOOPBACK_HOSTS, startLabServer, type LabServer, type LoopbackHost } from './index';
import { hasRenderer } from './static';

export const DEFAULT_PORT = 5183;

const USAGE = `Usage: npm run serve -- [options]      (or: node bin/serve.mjs [options])

Runs SEN Lab in your browser: serves the app and its API on this computer only, and prints the
URL to open (it carries a random access token; nobody without it can use the lab).

Options:
  --port N       port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --db FILE      run database (default: $SEN_LAB_DB or the per-user data folder)
  --host HOST    loopback address to listen on: ${LOOPBACK_HOSTS.join(', ')} (default 127.0.0.1)
  --max-trainings N
                 trainings at once; the rest wait as 'queued' (default: $SEN_LAB_MAX_TRAININGS, else one per two cores)
  -h, --help     show this help

Ctrl-C stops running trainings after their current batch (they can be resumed) and exits.
`;

class UsageError extends Error {}

interface ServeOptions {
  port: number;
  db: string;
  host: LoopbackHost;
  maxTrainings?: number;
}

function parse(argv: string[], cwd: string): ServeOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        db: { type: 'string' },
        host: { type: 'string' },
        'max-trainings': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const portText = values.port ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535, got '${portText}'`);
  const host = values.host ?? '127.0.0.1';
  if (!(LOOPBACK_HOSTS as readonly string[]).includes(host)) {
    throw new UsageError(
      `--host must be a loopback address (${LOOPBACK_HOSTS.join(', ')}): browser mode is for this computer only`,
    );
  }
  if (values.db !== undefined && values.db.trim() === '') throw new UsageError('--db needs a file name');
  const db = values.db !== undefined ? resolve(cwd, values.db) : defaultDbPath();
  const max = values['max-trainings'];
  if (max !== undefined && !/^[1-9]\d{0,3}$/.test(max))
    throw new UsageError(`--max-trainings must be a whole number from 1, got '${max}'`);
  return { port, db, host: host as LoopbackHost, ...(max !== undefined ? { maxTrainings: Number(max) } : {}) };
}

export interface ServeContext {
  /** the project folder (holds package.json and out/renderer) */
  root: string;
  cwd?: string;
}

/** Runs browser mode until a signal; resolves with the exit code. */
export async function main(argv: string[], ctx: ServeContext): Promise<number> {
  let opts: ServeOptions | 'help';
  try {
    opts = parse(argv, ctx.cwd ?? process.cwd());
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`sen-lab serve: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const rendererDir = join(ctx.root, 'out/renderer');
  if (!(await hasRenderer(rendererDir)) && !buildRenderer(ctx.root)) return 1;

  let service: LabService;
  try {
    service = LabService.open({
      dbPath: opts.db,
      appVersion: packageVersion(ctx.root),
      maxTrainings: opts.maxTrainings,
    });
  } catch (err) {
    const message = (err as Error).message;
    // an older `npm start` rebuilt node_modules' better-sqlite3 for Electron in place
    const hint = isAbiMismatch(err)
      ? '\n(better-sqlite3 is built for another runtime, probably Electron: run `npm run rebuild:node`)'
      : '';
    process.stderr.write(`sen-lab serve: cannot open the run database: ${message}${hint}\n`);
    return 1;
  }
  let server: LabServer;
  try {
    server = await startLabServer({ service, rendererDir, host: opts.host, port: opts.port });
  } catch (err) {
    await service.close();
    process.stderr.write(`sen-lab serve: ${listenProblem(err, opts.port)}\n`);
    return 1;
  }
  const recovered = service.recoveredAtOpen;
  if (recovered.length)
    process.stderr.write(`marked ${recovered.length} run(s) interrupted that an earlier process left running\n`);
  process.stderr.write(`run database: ${opts.db}\n`);
  if (service.readOnlyReason) {
    process.stderr.write(`warning: serving the run database READ-ONLY: ${service.readOnlyReason}\n`);
  }
  process.stdout.write(`SEN Lab browser mode: ${server.url}\n`);
  await untilSignal(service);
  await server.close();
  await service.close();
  return 0;
}

/**
 * Resolves on the first SIGINT/SIGTERM; a second one exits immediately (runs are recovered on
 * next open). One Ctrl-C often arrives twice, from the terminal and forwarded by `npm run` or
 * bin/start.mjs, so repeats within a second count as the same signal.
 */
function untilSignal(service: LabService): Promise<void> {
  return new Promise((resolveSignal) => {
    let firstAt: number | null = null;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (firstAt !== null) {
        if (Date.now() - firstAt > 1000) process.exit(130);
        return;
      }
      firstAt = Date.now();
      void service.getStatus().then(
        ({ activeRunIds }) => {
          const note = activeRunIds.length ? `, stopping ${activeRunIds.length} training run(s) after their batch` : '';
          process.stderr.write(`${signal}: shutting down${note} (again to quit at once)\n`);
        },
        () => undefined,
      );
      resolveSignal();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function listenProblem(err: unknown, port: number): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return `port ${port} is already in use (is SEN Lab already running?); choose another with --port N, or --port 0 for any free port`;
  }
  if (code === 'EACCES') return `not allowed to listen on port ${port}; choose another with --port N`;
  return `cannot listen: ${(err as Error).message}`;
}

/** Builds the app (electron-vite) when out/renderer is missing; false (with a message) on failure. */
function buildRenderer(root: string): boolean {
  process.stderr.write('out/renderer is missing: building the app first (npm run build)…\n');
  let cli: string;
  try {
    cli = join(
      dirname(createRequire(join(root, 'package.json')).resolve('electron-vite/package.json')),
      'bin/electron-vite.js',
    );
  } catch {
    process.stderr.write('sen-lab serve: electron-vite is not installed; run `npm install`, then `npm run build`\n');
    return false;
  }
  // stdout stays reserved for the URL line: the build's output goes to stderr
  const build = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status === 0) return true;
  process.stderr.write('sen-lab serve: the build failed; fix it and run `npm run build`\n');
  return false;
}

function packageVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
