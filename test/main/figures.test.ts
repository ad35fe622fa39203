/**
 * Figure export and spike recordings through the lab service and its handlers (real training of
 * tiny runs, the figure worker thread), plus one call over the browser-mode HTTP server.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/core/config/index';
import { createLabHandlers, invokeHandler } from '../../src/main/ipc/handlers';
import type { LabHandlers } from '../../src/main/ipc/types';
import { RunStore } from '../../src/core/store/index';
import { errorStatus } from '../../src/main/server/errors';
import { startLabServer } from '../../src/main/server/index';
import { figureFileName } from '../../src/main/services/figures';
import { LabService } from '../../src/main/services/lab-service';
import { base64ToBytes } from '../../src/shared/codec';
import type { FigureFile, FigureRequest, SpikeData } from '../../src/shared/lab-api';
import { EventLog, tempDir, tinyConfig } from './helpers';

const tmp = tempDir('sen-lab-figures-');
let service: LabService;
let handlers: LabHandlers;
const log = new EventLog();
let spatialId: string;

/** Trains `config` to completion and returns the run id. */
async function train(config: ReturnType<typeof tinyConfig>, name: string): Promise<string> {
  const run = await service.startRun(config, { name });
  await log.waitForStatus(run.id, 'completed', 120_000);
  return run.id;
}

const call = (method: Parameters<typeof invokeHandler>[1], ...raw: unknown[]) => invokeHandler(handlers, method, raw);

beforeAll(async () => {
  service = LabService.open({ dbPath: tmp.db, appVersion: '0.0.0-test' });
  service.onAny((event, payload) => log.push({ event, payload } as never));
  handlers = createLabHandlers(service);
  spatialId = await train(tinyConfig({ epochs: 1 }), 'tiny spatial/run');
}, 120_000);

afterAll(async () => {
  await service.close();
  tmp.cleanup();
});

const text = (f: FigureFile) => new TextDecoder().decode(base64ToBytes(f.base64));

describe('renderFigure', () => {
  it('renders the curves as an SVG naming the run, with a safe file name and CSV', async () => {
    const f = (await call('renderFigure', spatialId, { kind: 'curves', format: 'svg', width: 'single' })) as FigureFile;
    expect(f.fileName).toBe('tiny-spatial-run-curves.svg');
    expect(f.mime).toBe('image/svg+xml');
    const svg = text(f);
    expect(svg.startsWith('<?xml') || svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('</svg>');
    expect(svg).toContain('tiny spatial/run');
    expect(f.csv.split('\n')[0]).toMatch(/epoch/);
    expect(f.widthMm).toBe(88);
    expect(f.heightMm).toBeGreaterThan(10);
  }, 60_000);

  it('renders a PNG whose IHDR width is width × dpi', async () => {
    const f = (await call('renderFigure', spatialId, {
      kind: 'stacked',
      format: 'png',
      width: 'double',
      dpi: 150,
    })) as FigureFile;
    const png = base64ToBytes(f.base64);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const ihdrWidth = new DataView(png.buffer, png.byteOffset).getUint32(16);
    expect(ihdrWidth).toBe(Math.round((180 / 25.4) * 150));
    expect(f.fileName).toBe('tiny-spatial-run-stacked.png');
  }, 60_000);

  it('renders the embedding of a digit as a PDF', async () => {
    const f = (await call('renderFigure', spatialId, {
      kind: 'embedding',
      format: 'pdf',
      digit: 3,
      testSize: 100,
    })) as FigureFile;
    expect(new TextDecoder().decode(base64ToBytes(f.base64).subarray(0, 5))).toBe('%PDF-');
    expect(f.mime).toBe('application/pdf');
  }, 60_000);

  it('rejects bad requests naming the field', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ kind: 'pie', format: 'svg' }, /arg1\.kind/],
      [{ kind: 'curves', format: 'gif' }, /arg1\.format/],
      [{ kind: 'curves', format: 'png', dpi: 30 }, /arg1\.dpi/],
      [{ kind: 'curves', format: 'png', dpi: 5000 }, /arg1\.dpi/],
      [{ kind: 'curves', format: 'svg', width: 5 }, /arg1\.width/],
      [{ kind: 'curves', format: 'svg', width: 'triple' }, /arg1\.width/],
      [{ kind: 'curves', format: 'svg', fontSize: 100 }, /arg1\.fontSize/],
      [{ kind: 'embedding', format: 'svg', digit: 10 }, /arg1\.digit/],
      [{ kind: 'curves', format: 'svg', otherRunIds: [''] }, /arg1\.otherRunIds\[0\]/],
      [{ kind: 'curves', format: 'svg', colour: 'red' }, /arg1\.colour: unknown field/],
    ];
    for (const [req, field] of bad) await expect(call('renderFigure', spatialId, req)).rejects.toThrow(field);
    await expect(call('renderFigure', 'nope-no-run', { kind: 'curves', format: 'svg' })).rejects.toThrow(/nope-no-run/);
  });

  it('refuses kinds the run cannot show, with core’s reason', async () => {
    await expect(service.renderFigure(spatialId, { kind: 'raster', format: 'svg' })).rejects.toThrow(
      /needs a spiking run/,
    );
    await expect(service.renderFigure(spatialId, { kind: 'z-histogram', format: 'svg' })).rejects.toThrow(/relaxed/);
  }, 60_000);

  it('makes file names safe', () => {
    expect(figureFileName('../../etc/passwd', 'curves', 'svg')).toBe('etc-passwd-curves.svg');
    expect(figureFileName('Müller run #2', 'embedding', 'pdf')).toBe('Muller-run-2-embedding.pdf');
    expect(figureFileName('///', 'stacked', 'png')).toBe('run-stacked.png');
  });
});

describe('saveFile', () => {
  it('is refused without a save dialog (browser mode), and validated', async () => {
    await expect(call('saveFile', 'a.svg', 'PHN2Zz4=')).rejects.toMatchObject({ name: 'LabUnsupportedError' });
    await expect(call('saveFile', '../a.svg', 'PHN2Zz4=')).rejects.toThrow(/arg0/);
    await expect(call('saveFile', 'a.svg', 'not base64!')).rejects.toThrow(/arg1: not valid base64/);
  });

  it('writes atomically where the dialog says', async () => {
    const dir = join(tmp.dir, 'saved');
    mkdirSync(dir);
    const target = join(dir, 'chosen.svg');
    const withDialog = new LabService(
      // a second service over its own store: only saveFile is used
      (await import('../../src/core/store/index')).RunStore.open(join(tmp.dir, 'other.db')),
      { appVersion: 'test', askSavePath: async (name) => (name === 'cancel.svg' ? null : target) },
    );
    try {
      await expect(withDialog.saveFile('x.svg', btoa('<svg/>'))).resolves.toBe(target);
      const { readFileSync, readdirSync } = await import('node:fs');
      expect(readFileSync(target, 'utf8')).toBe('<svg/>');
      expect(readdirSync(dir)).toEqual(['chosen.svg']);
      await expect(withDialog.saveFile('cancel.svg', btoa('x'))).resolves.toBeNull();
    } finally {
      await withDialog.close();
    }
  });
});

describe('getSpikes', () => {
  let spikingId: string | undefined;

  it('refuses a run that is not spiking, and bad indices', async () => {
    await expect(call('getSpikes', spatialId, {})).rejects.toThrow(/not a spiking run/);
    await expect(call('getSpikes', spatialId, { testIndex: -1 })).rejects.toThrow(/arg1\.testIndex/);
  });

  it('records T × n spikes of a tiny spiking run', async () => {
    const config = buildRunConfig({
      preset: 'snn-quick',
      overrides: { layers: [784, 16, 10], trainSize: 300, testSize: 50, epochs: 1 },
    });
    spikingId = await train(config, 'tiny snn');
    const d = (await call('getSpikes', spikingId, { testIndex: 7 })) as SpikeData;
    const T = config.model.spiking!.timeSteps;
    expect(d).toMatchObject({ runId: spikingId, testIndex: 7, timeSteps: T });
    expect(d.layers.map((l) => [l.layer, l.n])).toEqual([
      [1, 16],
      [2, 10],
    ]);
    for (const l of d.layers) {
      const spikes = base64ToBytes(l.spikes);
      expect(spikes.length).toBe(T * l.n);
      expect(spikes.every((s) => s === 0 || s === 1)).toBe(true);
      expect(base64ToBytes(l.membrane).length).toBe(4 * T * l.n);
    }
    expect(d.label).toBeGreaterThanOrEqual(0);
    expect(d.prediction).toBeGreaterThanOrEqual(0);
    expect(d.prediction).toBeLessThan(10);
    await expect(call('getSpikes', spikingId, { testIndex: 50 })).rejects.toThrow(/testIndex/);
  }, 180_000);

  it('renders the raster of the spiking run', async () => {
    if (!spikingId) return;
    const f = await service.renderFigure(spikingId, { kind: 'raster', format: 'svg', digit: 1 });
    expect(f.fileName).toBe('tiny-snn-raster.svg');
    expect(text(f)).toContain('</svg>');
  }, 60_000);

  it('figure requests that do not fit the run are client errors (4xx with the reason), not 500', async () => {
    if (!spikingId) throw new Error('the spiking run of the test above is missing');
    const store = RunStore.open(tmp.db); // a second writer: a run without any finished epoch
    const empty = store.createRun({ config: tinyConfig({ epochs: 1 }), backend: 'wasm', params: 1 });
    store.finishRun(empty.id, 'interrupted');
    store.close();
    const cases: [string, FigureRequest, number, RegExp][] = [
      [spatialId, { kind: 'raster', format: 'svg' }, 400, /needs a spiking run/],
      [
        spikingId,
        { kind: 'raster', format: 'svg', testIndex: 1_000_000 },
        400,
        /testIndex must be 0\.\.\d+ .* got 1000000/,
      ],
      [spikingId, { kind: 'membrane', format: 'svg', neurons: [{ layer: 9, index: 0 }] }, 400, /layer must be 1\.\./],
      [spatialId, { kind: 'histograms', format: 'svg' }, 400, /needs a pruning rate/],
      [spatialId, { kind: 'z-histogram', format: 'svg' }, 400, /needs a relaxed run/],
      [empty.id, { kind: 'curves', format: 'svg' }, 409, /no finished epoch/],
    ];
    for (const [id, req, status, message] of cases) {
      const err = (await service.renderFigure(id, req).then(
        () => new Error('rendered'),
        (e: unknown) => e,
      )) as Error;
      expect(err.message).toMatch(message);
      expect([req.kind, errorStatus(err)]).toEqual([req.kind, status]);
    }
  }, 120_000);
});

describe('over HTTP', () => {
  it('POST /api/figures/render answers with the figure', async () => {
    const server = await startLabServer({ service, rendererDir: tmp.dir, port: 0, token: 't0ken-for-tests-only' });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/api/figures/render`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lab-token': server.token },
        body: JSON.stringify({ args: [spatialId, { kind: 'curves', format: 'svg' }] }),
      });
      const body = (await res.json()) as { ok: boolean; result: FigureFile };
      expect(res.status).toBe(200);
      expect(body.ok).toBe(true);
      expect(text(body.result)).toContain('tiny spatial/run');
      const refused = await fetch(`http://127.0.0.1:${server.port}/api/files/save`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lab-token': server.token },
        body: JSON.stringify({ args: ['a.svg', 'PHN2Zz4='] }),
      });
      expect(refused.status).toBe(501);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('renderStudyFigure', () => {
  let studyId = '';
  beforeAll(async () => {
    const { RunStore } = await import('../../src/core/store/index');
    const { seedStudy } = await import('../figures/helpers');
    const other = RunStore.open(tmp.db);
    try {
      studyId = seedStudy(other, 'pruning study #1');
    } finally {
      other.close();
    }
  });

  it('renders a study (in the figure worker) with a safe file name and the CSV', async () => {
    const f = (await call('renderStudyFigure', studyId, { kind: 'study', format: 'svg', paper: true })) as FigureFile;
    expect(f.fileName).toBe('pruning-study-1-study.svg');
    expect(f.mime).toBe('image/svg+xml');
    const svg = text(f);
    for (const label of ['A post', 'A during', 'B post', 'paper 3D post', 'Sparsity (%)']) expect(svg).toContain(label);
    expect(f.csv.split('\n')[0]).toBe('model,mode,rate,mean,std,n,sparsity');
    const png = (await call('renderStudyFigure', studyId.slice(0, 6), {
      kind: 'study',
      format: 'png',
      width: 'double',
      dpi: 100,
    })) as FigureFile;
    expect(new DataView(base64ToBytes(png.base64).buffer).getUint32(16)).toBe(Math.round((180 / 25.4) * 100));
  }, 60_000);

  it('rejects bad study ids and kinds, and run-only fields', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ kind: 'pruning', format: 'svg' }, /arg1\.kind/],
      [{ kind: 'curves', format: 'svg' }, /arg1\.kind/],
      [{ kind: 'study', format: 'gif' }, /arg1\.format/],
      [{ kind: 'study', format: 'png', dpi: 5000 }, /arg1\.dpi/],
      [{ kind: 'study', format: 'svg', digit: 1 }, /arg1\.digit: unknown field/],
      [{ kind: 'study', format: 'svg', otherRunIds: [] }, /arg1\.otherRunIds: unknown field/],
    ];
    for (const [req, field] of bad) await expect(call('renderStudyFigure', studyId, req)).rejects.toThrow(field);
    await expect(call('renderStudyFigure', '', { kind: 'study', format: 'svg' })).rejects.toThrow(/arg0/);
    await expect(call('renderStudyFigure', 'nope-no-study', { kind: 'study', format: 'svg' })).rejects.toThrow(
      /no study with id 'nope-no-study'/,
    );
    // a study id is not a run id, and renderFigure does not draw studies
    await expect(call('renderFigure', spatialId, { kind: 'study', format: 'svg' })).rejects.toThrow(/arg1\.kind/);
    await expect(call('renderFigure', studyId, { kind: 'curves', format: 'svg' })).rejects.toThrow(studyId);
  });
});
