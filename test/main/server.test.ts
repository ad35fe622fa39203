/**
 * Browser mode end to end: `node bin/serve.mjs --port 0 --db <tmp>` as a child process, spoken to
 * over raw HTTP (so Host and Origin can be forged): access checks, API calls, the SSE stream of a
 * training run, and a graceful SIGTERM that leaves the run interrupted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store/index';
import { RENDERER_CSP } from '../../src/shared/csp';
import { EventLog, tempDir, tinyConfig, type Recorded } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');
const tmp = tempDir('sen-lab-serve-');
let child: ChildProcess;
let exit: Promise<number | null>;
let stderr = '';
let base: URL;
let token: string;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with full control over the headers (fetch forbids setting Host). */
function http(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Reply> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: base.port,
        path,
        method: opts.method ?? (body ? 'POST' : 'GET'),
        headers: opts.headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** POST /api/<channel> with the token. */
async function api(
  channel: string,
  args: unknown[] = [],
  headers: Record<string, string> = {},
): Promise<Reply & { json: any }> {
  const reply = await http(`/api/${channel}`, {
    headers: { 'content-type': 'application/json', 'x-lab-token': token, ...headers },
    body: { args },
  });
  return { ...reply, json: JSON.parse(reply.body) };
}

/** Opens the SSE stream and records its events. */
function openEvents(log: EventLog): Promise<() => void> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: base.port, path: `/api/events?token=${token}` }, (res) => {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop() ?? '';
        for (const block of blocks) {
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) log.push({ event, payload: JSON.parse(data) } as Recorded);
        }
      });
      done(() => req.destroy());
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  child = spawn(process.execPath, [join(ROOT, 'bin/serve.mjs'), '--port', '0', '--db', tmp.db], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  exit = new Promise((done) => child.on('exit', (code) => done(code)));
  const line = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) done(out.split('\n')[0]);
    });
    void exit.then((code) => fail(new Error(`serve exited (${code}) before printing its URL:\n${stderr}`)));
  });
  const match = /^SEN Lab browser mode: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+#\/)$/.exec(line);
  expect(match, line).not.toBeNull();
  base = new URL(match![1]);
  token = base.searchParams.get('token')!;
  expect(token).toHaveLength(32); // 24 random bytes, base64url
});

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  tmp.cleanup();
});

describe('browser-mode server', () => {
  it('refuses API calls without the token (401) or with a wrong one', async () => {
    const none = await http('/api/presets/list', { headers: { 'content-type': 'application/json' }, body: {} });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.message).toMatch(/token/);
    const wrong = await api('presets/list', [], { 'x-lab-token': 'x'.repeat(32) });
    expect(wrong.status).toBe(401);
    expect((await http('/api/events?token=nope')).status).toBe(401);
  });

  it('refuses a foreign Origin and a foreign Host (DNS rebinding) with 403', async () => {
    expect((await api('presets/list', [], { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('presets/list', [], { origin: 'null' })).status).toBe(403);
    expect((await api('presets/list', [], { host: `evil.example:${base.port}` })).status).toBe(403);
    expect((await http('/', { headers: { host: 'evil.example' } })).status).toBe(403);
    // the server's own origin, under either loopback name, is fine
    expect((await api('presets/list', [], { origin: `http://127.0.0.1:${base.port}` })).status).toBe(200);
    expect(
      (await api('presets/list', [], { origin: `http://localhost:${base.port}`, host: `localhost:${base.port}` }))
        .status,
    ).toBe(200);
  });

  it('answers API calls with the token (header or query)', async () => {
    const presets = await api('presets/list');
    expect(presets.status).toBe(200);
    expect(presets.json.ok).toBe(true);
    expect(presets.json.result[0]).toMatchObject({ name: 'quick', params: expect.any(Number) });
    const viaQuery = await http(`/api/app/getStatus?token=${token}`, {
      headers: { 'content-type': 'application/json' },
      body: {},
    });
    expect(JSON.parse(viaQuery.body).result).toMatchObject({ dbPath: tmp.db, activeRunIds: [] });
  });

  it('reports validation errors as 400, unknown runs as 404, unknown channels as 404', async () => {
    const bad = await api('runs/checkConfig', [{ ...tinyConfig(), training: { ...tinyConfig().training, epochs: 0 } }]);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toEqual({
      name: 'LabValidationError',
      message: expect.stringContaining('training.epochs'),
      field: 'training.epochs',
    });
    const long = await api('runs/get', ['x'.repeat(65)]);
    expect(long.status).toBe(400);
    expect(long.json.error.name).toBe('LabValidationError');
    const missing = await api('runs/get', ['rnothere0']);
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toContain('rnothere0');
    expect((await api('runs/explode')).status).toBe(404);
    const notJson = await http('/api/presets/list', {
      headers: { 'content-type': 'text/plain', 'x-lab-token': token },
      body: {},
    });
    expect(notJson.status).toBe(415);
  });

  it('serves the renderer with the app CSP and no way out of its folder', async () => {
    const page = await http('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(RENDERER_CSP);
    const script = /src="([^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    expect((await http(script!.replace(/^\.?\/?/, '/'))).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      expect([403, 404]).toContain((await http(path)).status);
    }
  });

  it('of three simultaneous resumes exactly one is 200, the others 409 naming the pid; delete while training is 409', async () => {
    const first = new EventLog();
    const closeFirst = await openEvents(first);
    const id: string = (await api('runs/start', [tinyConfig({ epochs: 100 }), { name: 'contended' }])).json.result.id;
    await first.waitFor((e) => e.event === 'run/epoch' && e.payload.runId === id);
    expect((await api('runs/stop', [id])).status).toBe(200);
    await first.waitForStatus(id, 'interrupted');
    closeFirst();

    const log = new EventLog();
    const close = await openEvents(log);
    const replies = await Promise.all([1, 2, 3].map(() => api('runs/resume', [id])));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    for (const r of replies.filter((x) => x.status === 409)) {
      expect(r.json.error.message).toContain(`pid ${child.pid}`);
    }
    await log.waitFor((e) => e.event === 'run/epoch' && e.payload.runId === id);
    const del = await api('runs/delete', [id]);
    expect(del.status).toBe(409);
    expect(del.json.error.message).toContain(`pid ${child.pid}`);
    expect((await api('app/getStatus')).json.result.activeRunIds).toEqual([id]);
    expect((await api('runs/stop', [id])).status).toBe(200);
    await log.waitForStatus(id, 'interrupted');
    close();
  });

  it('streams the events of a started run; SIGTERM exits 0 and leaves the run interrupted', async () => {
    const log = new EventLog();
    const close = await openEvents(log);
    const started = await api('runs/start', [tinyConfig({ epochs: 100 }), { name: 'served' }]);
    expect(started.status).toBe(200);
    const id: string = started.json.result.id;
    await log.waitForStatus(id, 'running');
    await log.waitFor((e) => e.event === 'run/progress' && e.payload.runId === id);
    await log.waitFor((e) => e.event === 'run/epoch' && e.payload.runId === id);
    expect((await api('app/getStatus')).json.result.activeRunIds).toEqual([id]);

    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    close();
    const store = RunStore.open(tmp.db);
    try {
      // error null and a finish time: stopped by the server, not recovered after a crash
      expect(store.getRun(id)).toMatchObject({ status: 'interrupted', error: null, finishedAt: expect.any(String) });
    } finally {
      store.close();
    }
  });
});
