/** Every figure kind on tiny runs trained in-process (a few seconds in all). */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/core/config/index';
import { loadDataset } from '../../src/core/data/index';
import { averageImage, spatialActivations } from '../../src/core/figures/activations';
import { buildFigure, type FigureRequest } from '../../src/core/figures/load';
import { toSvg } from '../../src/core/figures/writers/svg';
import { Network } from '../../src/core/model/network';
import { RunStore } from '../../src/core/store/index';
import { initBackend } from '../../src/core/train/backend';
import { runTraining } from '../../src/core/train/run-training';
import { decodeArrays } from '../../src/shared/codec';
import type { SpatialModelSpec } from '../../src/shared/model-spec';
import { tempDir } from '../cli/helpers';
import { allNodes, byClass, parseXml, texts, type XmlNode } from './helpers';

const tmp = tempDir('sen-lab-figure-kinds-');
const store = RunStore.open(tmp.db);
const ids: Record<'spatial' | 'relaxed' | 'spiking' | 'dense', string> = {
  spatial: '',
  relaxed: '',
  spiking: '',
  dense: '',
};
const small = { trainSize: 600, testSize: 300, epochs: 2 };

beforeAll(async () => {
  const train = async (preset: string | undefined, overrides: Record<string, unknown>) =>
    (await runTraining({ store, config: buildRunConfig({ preset, overrides }) })).runId;
  ids.spatial = await train(undefined, { ...small, layers: [784, 24, 10], name: 'tiny' });
  ids.relaxed = await train(undefined, { ...small, epochs: 1, layers: [784, 16, 10], zMode: 'relaxed' });
  ids.spiking = await train('snn-quick', { ...small, epochs: 1, layers: [784, 16, 10] });
  ids.dense = await train(undefined, { ...small, epochs: 1, layers: [784, 8, 10], model: 'dense' });
});

afterAll(() => {
  store.close();
  tmp.cleanup();
});

async function svgOf(
  req: Partial<FigureRequest> & Pick<FigureRequest, 'kind'>,
): Promise<{ root: XmlNode; csv: string }> {
  const out = await buildFigure(store, { runIds: [ids.spatial], ...req });
  return { root: parseXml(toSvg(out.figure)), csv: out.csv };
}

const count = (n: XmlNode, name: string) => allNodes(n).filter((x) => x.name === name).length;
const digits = Array.from({ length: 10 }, (_, i) => String(i));

describe('embedding (Fig. 6)', () => {
  it('one circle per neuron and layer, output markers labelled 0..9 on the other panels, colour bars', async () => {
    const { root, csv } = await svgOf({ kind: 'embedding', digit: 3 });
    [784, 24, 10].forEach((n, l) => expect(count(byClass(root, `layer-${l}`)[0], 'circle')).toBe(n));
    const markers = byClass(root, 'output-markers');
    expect(markers).toHaveLength(2);
    for (const m of markers) {
      expect(byClass(m, 'cross')).toHaveLength(10);
      expect(texts(m).sort()).toEqual(digits);
    }
    expect(texts(byClass(root, 'output-labels')[0]).sort()).toEqual(digits);
    const t = texts(root);
    expect(t).toEqual(
      expect.arrayContaining(['Input (784)', 'Hidden (24)', 'Output (10)', 'masked activation', 'logit', 'x', 'y']),
    );
    expect(byClass(root, 'colorbar')).toHaveLength(3);
    expect(allNodes(root).find((n) => n.name === 'title')?.text).toMatch(/average "3"/);
    expect(csv.trim().split('\n')).toHaveLength(1 + 784 + 24 + 10);
  });

  it('the plain-JS forward matches the tfjs network (logits) and masks what neurons pass on', async () => {
    await initBackend();
    const { meta, arrays } = decodeArrays<{ spec: SpatialModelSpec }>(store.getFinalModel(ids.spatial)!);
    const data = loadDataset({ name: 'mnist', trainSize: 1, testSize: 200 });
    const { image } = averageImage(data.test, 1, 784);
    const act = spatialActivations(meta.spec, arrays, image);
    const net = Network.fromArrays(meta.spec, arrays);
    const logits = tf.tidy(() => net.forward(tf.tensor2d(image, [1, 784])).dataSync());
    net.dispose();
    act.h[2].forEach((v, j) => expect(v).toBeCloseTo(logits[j], 3));
    const mask = act.geometry.layers[1].mask!;
    act.masked[1].forEach((v, i) => expect(v).toBeCloseTo(act.h[1][i] * mask[i], 6));
    expect(act.masked[2]).toEqual(act.h[2]);
  });

  it('refuses dense runs and classes the model does not have', async () => {
    await expect(buildFigure(store, { kind: 'embedding', runIds: [ids.dense] })).rejects.toThrow(/spatial model/);
    await expect(svgOf({ kind: 'embedding', digit: 10 })).rejects.toThrow(/0\.\.9/);
  });
});

describe('stacked (Fig. 1)', () => {
  it('draws the strongest k connections per panel, every neuron, faded epoch-0 positions', async () => {
    const { root, csv } = await svgOf({ kind: 'stacked', edges: 500 });
    const panels = byClass(root, 'panel');
    expect(panels).toHaveLength(2);
    for (const p of panels) {
      expect(count(byClass(p, 'edges')[0], 'line')).toBe(500);
      expect(count(byClass(p, 'neurons')[0], 'circle')).toBe(784 + 24 + 10);
      expect(count(byClass(p, 'planes')[0], 'polygon')).toBe(3);
    }
    expect(byClass(panels[1], 'neurons-before')[0].attrs.opacity).toBe('0.35');
    expect(texts(root).join(' ')).toMatch(/Before training \(epoch 0\).*After training \(epoch 2\)/);
    expect(texts(root)).toEqual(expect.arrayContaining(['Input (784)', 'Hidden (24)', 'Output (10)']));
    expect(csv.split('\n').filter((l) => l.includes(',edge,'))).toHaveLength(1000);
  });

  it('defaults to 3,000 connections', async () => {
    const { root } = await svgOf({ kind: 'stacked' });
    expect(count(byClass(byClass(root, 'panel')[1], 'edges')[0], 'line')).toBe(3000);
  });
});

describe('curves', () => {
  it('loss and accuracy panels, one legend entry per run plus train/test', async () => {
    const out = await buildFigure(store, { kind: 'curves', runIds: [ids.spatial, ids.relaxed] });
    const root = parseXml(toSvg(out.figure));
    const legend = texts(byClass(root, 'legend')[0]);
    expect(legend).toEqual(expect.arrayContaining(['tiny', store.getRun(ids.relaxed).name, 'train', 'test']));
    expect(texts(root)).toEqual(expect.arrayContaining(['Loss', 'Accuracy', 'Epoch']));
    const loss = byClass(root, 'panel-loss')[0];
    expect(count(loss, 'polyline')).toBe(2); // the one-epoch run has no line ...
    expect(count(loss, 'circle')).toBe(2 * 2 + 2); // ... but every point has a marker
    expect(out.csv.trim().split('\n')).toHaveLength(1 + 2 + 1);
  });
});

describe('pruning (Fig. 3)', () => {
  it('accuracy per rate, unpruned reference, paper overlay on request', async () => {
    const { root, csv } = await svgOf({ kind: 'pruning', testSize: 100, paper: true });
    const legend = texts(byClass(root, 'legend')[0]);
    expect(legend).toEqual(
      expect.arrayContaining([
        'tiny (post-training)',
        'unpruned',
        'paper 3D post',
        'paper 3D during',
        'paper B14 post',
        'paper B2048 post',
      ]),
    );
    expect(texts(root)).toEqual(expect.arrayContaining(['Pruning rate (%)', 'Test accuracy']));
    expect(csv.split('\n').filter((l) => l.startsWith('tiny,'))).toHaveLength(7);
    const plain = await svgOf({ kind: 'pruning', testSize: 100 });
    expect(texts(plain.root).some((t) => t.startsWith('paper'))).toBe(false);
  });
});

describe('z-histogram (Fig. 4b)', () => {
  it('histograms every layer of a relaxed run', async () => {
    const out = await buildFigure(store, { kind: 'z-histogram', runIds: [ids.relaxed] });
    const root = parseXml(toSvg(out.figure));
    expect(texts(root)).toEqual(expect.arrayContaining(['Input (784)', 'Hidden (16)', 'Output (10)', 'Learned z']));
    expect(out.csv.trim().split('\n')).toHaveLength(1 + 3 * 40);
  });

  it('names the reason for runs whose z is not learned per neuron', async () => {
    await expect(svgOf({ kind: 'z-histogram' })).rejects.toThrow(/relaxed run.*learned-gap/);
  });
});

describe('raster', () => {
  it('one tick per recorded spike, output rows labelled by class', async () => {
    const out = await buildFigure(store, { kind: 'raster', runIds: [ids.spiking], digit: 2, testSize: 100 });
    const root = parseXml(toSvg(out.figure));
    const spikes = byClass(root, 'spikes').reduce((s, g) => s + count(g, 'line'), 0);
    expect(spikes).toBe(out.csv.trim().split('\n').length - 1);
    expect(texts(byClass(root, 'panel-1')[0])).toEqual(expect.arrayContaining(digits));
    expect(texts(root)).toContain('Time step');
  });

  it('refuses non-spiking runs', async () => {
    await expect(svgOf({ kind: 'raster' })).rejects.toThrow(/spiking run/);
  });
});

describe('histograms and membrane kinds', () => {
  it('the figure request schema rejects bad histograms/membrane requests', async () => {
    const { FigureRequestSchema } = await import('../../src/shared/schema/figures');
    const { parseOrThrow } = await import('../../src/shared/schema/fields');
    const figureRequest = (raw: unknown, root: string) => parseOrThrow(FigureRequestSchema, raw, root);
    const ok = figureRequest(
      { kind: 'membrane', format: 'svg', testIndex: 2, neurons: [{ layer: 1, index: 0 }] },
      'request',
    );
    expect(ok).toMatchObject({ kind: 'membrane', testIndex: 2 });
    expect(
      figureRequest({ kind: 'histograms', format: 'svg', rate: 0.5, scope: 'per-layer' }, 'request'),
    ).toMatchObject({ rate: 0.5 });
    expect(() => figureRequest({ kind: 'histograms', format: 'svg', rate: 1 }, 'request')).toThrow(/rate/);
    expect(() => figureRequest({ kind: 'histograms', format: 'svg', rate: 0.5, scope: 'local' }, 'request')).toThrow(
      /scope/,
    );
    const nine = Array.from({ length: 9 }, (_, i) => ({ layer: 1, index: i }));
    expect(() => figureRequest({ kind: 'membrane', format: 'svg', neurons: nine }, 'request')).toThrow(/neurons/);
    expect(() =>
      figureRequest({ kind: 'membrane', format: 'svg', neurons: [{ layer: 0, index: 0 }] }, 'request'),
    ).toThrow(/request\.neurons\[0\]\.layer must be an integer from 1 to 64, got 0/);
  });

  it('histograms: axis labels, legend and CSV bins; bad rate rejected', async () => {
    const { root, csv } = await svgOf({ kind: 'histograms', rate: 0.5, scope: 'global' });
    const t = texts(root).join('|');
    expect(t).toContain('Sparsity (%)');
    expect(t).toContain('Distance d');
    expect(t).toMatch(/kept at 50%/);
    expect(csv.split('\n')[0]).toContain('bin_lo');
    expect(csv).toMatch(/^distance,/m);
    await expect(svgOf({ kind: 'histograms', rate: 1 })).rejects.toThrow(/\[0, 1\)/);
    await expect(svgOf({ kind: 'histograms' })).rejects.toThrow(/rate/);
  });
  it('membrane: traces, threshold legend, CSV; bad requests rejected', async () => {
    const { root, csv } = await svgOf({
      kind: 'membrane',
      runIds: [ids.spiking],
      testIndex: 1,
      neurons: [
        { layer: 1, index: 0 },
        { layer: 2, index: 3 },
      ],
    });
    const t = texts(root).join('|');
    expect(t).toContain('Membrane potential U');
    expect(t).toMatch(/threshold/);
    expect(csv.split('\n')[0]).toBe('layer,neuron,time_step,membrane');
    await expect(svgOf({ kind: 'membrane', runIds: [ids.spiking], neurons: [] })).rejects.toThrow(/1\.\.8/);
    await expect(svgOf({ kind: 'membrane', neurons: [{ layer: 1, index: 0 }] })).rejects.toThrow(/spiking/);
    await expect(
      svgOf({ kind: 'membrane', runIds: [ids.spiking], neurons: [{ layer: 1, index: 999 }] }),
    ).rejects.toThrow(/index/);
  });
});
