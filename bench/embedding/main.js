// Bench / fixture page: the real EmbeddingView with a generated network.
// Plain JS on purpose: tsconfig.node.json type-checks bench/**/*.ts without DOM or .vue support,
// and this page is browser code (the renderer files it imports are checked by tsconfig.web.json).
//
// URL parameters: layers=784,2048,10  dim=3  zMode=learned-gap  k=50000  mode=stacked|planes
//   theme=light|dark  bench=0|1  seconds=5  seed=1  lineColor=ink|sign  lines=auto|gpu|cpu
import { createApp, h, nextTick, ref, shallowRef } from 'vue';
import EmbeddingView from '../../src/renderer/src/components/EmbeddingView.vue';

const params = new URLSearchParams(location.search);
const num = (name, fallback) => (params.has(name) ? Number(params.get(name)) : fallback);
const layers = (params.get('layers') ?? '784,2048,10').split(',').map(Number);
const dim = num('dim', 3);
const zMode = params.get('zMode') ?? 'learned-gap';
const spec = {
  kind: 'spatial',
  layers,
  dim,
  zMode,
  inhibitionSteepness: 5,
  distanceEpsilon: zMode === 'relaxed' ? 0.05 : 0,
  initSpread: 10,
  initInhibition: 0.5,
  hiddenActivation: 'relu',
};

// mulberry32: a seeded generator so screenshots are reproducible
let seed = num('seed', 1) >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const uniform = (n, lo, hi) => Float32Array.from({ length: n }, () => lo + (hi - lo) * random());

function makeSnapshot() {
  const arrays = [];
  layers.forEach((n, l) => {
    arrays.push({ name: `pos.${l}`, shape: [n, dim - 1], data: uniform(n * (dim - 1), -5, 5) });
    if (zMode === 'relaxed') arrays.push({ name: `z.${l}`, shape: [n], data: uniform(n, l, l + 1) });
    if (l + 1 < layers.length) {
      arrays.push({ name: `inhib.${l}`, shape: [n], data: uniform(n, -0.5, 0.5) });
      if (zMode === 'learned-gap') arrays.push({ name: `gap.${l}`, shape: [1], data: Float32Array.of(1) });
    }
  });
  return arrays;
}

const snapshot = shallowRef(makeSnapshot());
const view = ref(null);
const options = {
  mode: params.get('mode') ?? 'stacked',
  k: num('k', 50_000),
  theme: params.get('theme') ?? 'light',
  lineColor: params.get('lineColor') ?? 'ink',
  lineRenderer: params.get('lines') ?? 'auto',
};

window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__csp.push(`${e.violatedDirective}: ${e.blockedURI}`),
);

createApp({
  render: () =>
    h('div', { style: 'position:fixed;inset:0;padding:8px;display:flex;font:13px system-ui,sans-serif' }, [
      h(EmbeddingView, { ref: view, spec, snapshot: snapshot.value, options }),
    ]),
}).mount('#app');

/** Moves every position a little, as a training step would. */
function jitter(arrays, amount) {
  for (const a of arrays) {
    if (!a.name.startsWith('pos.')) continue;
    for (let q = 0; q < a.data.length; q++) a.data[q] += (random() - 0.5) * amount;
  }
}

async function waitReady() {
  const root = () => document.querySelector('[data-testid=embedding-view]');
  while (root()?.getAttribute('data-state') !== 'ready') {
    if (root()?.getAttribute('data-state') === 'error') throw new Error(root().textContent);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * One timed phase: counts requestAnimationFrame callbacks while jittered snapshots arrive at 10 Hz
 * (setSnapshot straight on the plot, as the view's watcher would). With `rotate` the view yaw also
 * changes every frame, so every line is re-projected and redrawn each frame (a harder case).
 * selectMs: the selection (a worker) that finished last; updateMs: main-thread setSnapshot time.
 */
function phase(plot, seconds, rotate) {
  return new Promise((resolve) => {
    const select = [];
    const update = [];
    const baseYaw = plot.getOptions().yawDeg;
    const t0 = performance.now();
    let frames = 0;
    let nextSnapshot = t0 + 100;
    const frame = (t) => {
      frames++;
      if (rotate) plot.setOptions({ yawDeg: baseYaw + 6 * Math.sin((t - t0) / 400) });
      if (t >= nextSnapshot) {
        nextSnapshot += 100;
        jitter(snapshot.value, 0.05);
        plot.setSnapshot(snapshot.value);
        select.push(plot.lastUpdate.selectMs);
        update.push(plot.lastUpdate.updateMs);
      }
      if (t - t0 < seconds * 1000) requestAnimationFrame(frame);
      else {
        if (rotate) plot.setOptions({ yawDeg: baseYaw });
        resolve({ fps: (frames * 1000) / (t - t0), snapshots: select.length, select, update });
      }
    };
    requestAnimationFrame(frame);
  });
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;
const round = (v) => Math.round(v * 10) / 10;

async function bench() {
  await waitReady();
  await nextTick();
  const plot = view.value.plot;
  const seconds = num('seconds', 5);
  const live = await phase(plot, seconds, false);
  const rotating = await phase(plot, Math.max(2, seconds / 2), true);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const stats = plot.lastUpdate;
  window.__benchResult = {
    bench: 'embedding',
    fps: round(live.fps),
    fpsRotating: round(rotating.fps),
    connections: stats.connections,
    lines: stats.lines,
    selectMs: round(median(live.select)),
    updateMs: round(median(live.update)),
    selectMsMax: round(Math.max(...live.select)),
    updateMsMax: round(Math.max(...live.update)),
    snapshots: live.snapshots + rotating.snapshots,
    lineRenderer: stats.lineRenderer,
    renderer: plot.rendererInfo,
    cspViolations: window.__csp.length,
  };
}

window.__embedding = { view, snapshot, makeSnapshot };
if (params.get('bench') === '1') bench().catch((err) => (window.__benchResult = { error: String(err?.stack ?? err) }));
