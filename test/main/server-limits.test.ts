/**
 * Issue 10 items 4 and 6 over browser mode's HTTP server (in process): header and request
 * timeouts, a connection cap, deeply nested JSON refused with 400, and runs that cannot fit in
 * memory refused with 400 naming the estimate and the limit (unless overridden).
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabServer, type LabServer } from '../../src/main/server/index';
import { LabService } from '../../src/main/services/lab-service';
import { tempDir, tinyConfig } from './helpers';

const tmp = tempDir('sen-lab-limits-');
let service: LabService;
let server: LabServer;
/** the same lab behind tight limits, for the limit tests */
let tight: LabServer;

beforeAll(async () => {
  service = LabService.open({ dbPath: tmp.db, appVersion: '0.0.0-test' });
  server = await startLabServer({ service, rendererDir: tmp.dir, port: 0, token: 'test-token' });
  tight = await startLabServer({
    service,
    rendererDir: tmp.dir,
    port: 0,
    token: 'test-token',
    limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 100, maxConnections: 3 },
  });
});

afterAll(async () => {
  await server.close();
  await tight.close();
  await service.close();
  tmp.cleanup();
});

export async function call(channel: string, body: string | object): Promise<{ status: number; json: any }> {
  const r = await fetch(`http://127.0.0.1:${server.port}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lab-token': 'test-token', connection: 'close' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json() };
}

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(tight.port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

/** Resolves with what the server sent before it closed the socket. */
function closed(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString()));
    s.on('close', () => resolve(got));
    s.on('error', () => undefined);
  });
}

describe('HTTP server limits', () => {
  it('a client that never finishes its headers is cut off (408)', async () => {
    const s = await open();
    const done = closed(s);
    s.write('POST /api/app/getVersion HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // and then nothing
    expect(await done).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a body that never arrives is cut off (408)', async () => {
    const s = await open();
    const done = closed(s);
    s.write(
      `POST /api/runs/checkConfig HTTP/1.1\r\nHost: 127.0.0.1:${tight.port}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{`,
    );
    expect(await done).toMatch(/408/);
  });

  it('connections beyond the cap are closed at once', async () => {
    const held = await Promise.all([open(), open(), open()]);
    const extra = await open();
    const got = await closed(extra);
    expect(got).toBe('');
    for (const s of held) s.destroy();
  });
});

describe('client errors are 4xx', () => {
  it('200,000 nested [ in checkConfig: 400 with a message', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    for (const body of [`{"args":[${deep}]}`, `{"args":[{"model":{"layers":${deep}}}]}`]) {
      const r = await call('runs/checkConfig', body);
      expect(r.status).toBe(400);
      expect(r.json.error.message).toContain('nested deeper than');
    }
  });

  it('a config that cannot fit in memory: checkConfig says so, startRun refuses with 400', async () => {
    const huge = {
      ...tinyConfig(),
      model: { ...tinyConfig().model, kind: 'dense', layers: [784, 100_000, 100_000, 10] },
    };
    delete (huge.model as Record<string, unknown>).dim;
    for (const k of ['zMode', 'inhibitionSteepness', 'distanceEpsilon', 'initSpread', 'initInhibition']) {
      delete (huge.model as Record<string, unknown>)[k];
    }
    const checked = await call('runs/checkConfig', { args: [huge] });
    expect(checked.status).toBe(200);
    expect(checked.json.result.params).toBe(10_079_600_010);
    expect(checked.json.result.memory.fits).toBe(false);
    const start = await call('runs/start', { args: [huge] });
    expect(start.status).toBe(400);
    expect(start.json.error.name).toBe('ResourceLimitError');
    expect(start.json.error.message).toMatch(/needs about [\d.]+ GB of memory .* more than the limit of [\d.]+ GB/);
    expect((await service.listRuns()).length).toBe(0);
  });

  it('the limit is $SEN_LAB_MAX_MEMORY_MB when set; ignoreMemoryLimit starts the run anyway', async () => {
    process.env.SEN_LAB_MAX_MEMORY_MB = '50';
    try {
      const refused = await call('runs/start', { args: [tinyConfig({ epochs: 1 })] });
      expect(refused.status).toBe(400);
      expect(refused.json.error.message).toMatch(/more than the limit of 50 MB \(\$SEN_LAB_MAX_MEMORY_MB\)/);
      const started = await call('runs/start', { args: [tinyConfig({ epochs: 1 }), { ignoreMemoryLimit: true }] });
      expect(started.status).toBe(200);
      expect(['running', 'queued']).toContain(started.json.result.status);
    } finally {
      delete process.env.SEN_LAB_MAX_MEMORY_MB;
    }
  });
});
