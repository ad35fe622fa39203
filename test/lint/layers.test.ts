/**
 * The lint rules of eslint-rules/: the layer table decides what each src/ layer may import, and
 * the import graph finds cycles (and finds none in src/ today).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../../eslint-rules/import-graph.js';
import { layerViolation } from '../../eslint-rules/layers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const file = (rel: string) => path.join(ROOT, rel);

describe('layer rules', () => {
  it.each([
    ['src/renderer/src/lib/run-form.ts', '../../../shared/run-config'],
    ['src/renderer/src/views/HistoryView.vue', '../main'], // the renderer's own main.ts, not src/main
    ['src/core/train/trainer.ts', '../../shared/run-config'],
    ['src/main/ipc/runs.ts', '../../core/config/validate'],
    ['src/preload/index.ts', 'electron'],
    ['src/shared/lab-api.ts', './run-config'],
    ['test/cli/helpers.ts', '../../src/main/index'],
  ])('%s may import %s', (from, spec) => {
    expect(layerViolation(file(from), spec)).toBeUndefined();
  });

  it.each([
    ['src/renderer/src/lib/run-form.ts', '../../../core/config/validate', /src\/renderer may import only/],
    ['src/renderer/src/lib/run-form.ts', '../../../main/ipc/runs', /is src\/main\/ipc\/runs/],
    ['src/renderer/src/lib/run-form.ts', 'node:fs', /no Node built-ins/],
    ['src/renderer/src/lib/run-form.ts', 'electron', /through the preload/],
    ['src/core/train/trainer.ts', '../../main/services/lab-service', /src\/core may import only/],
    ['src/core/train/trainer.ts', '../../renderer/src/lib/format', /src\/core may import only/],
    ['src/core/train/trainer.ts', 'electron', /no Electron/],
    ['src/core/train/trainer.ts', 'vue', /no DOM-only package/],
    ['src/shared/lab-api.ts', '../core/store/store', /src\/shared may import only src\/shared/],
    ['src/shared/lab-api.ts', 'node:path', /no Node built-ins/],
    ['src/preload/index.ts', '../core/store/store', /src\/preload may import only/],
  ])('%s may not import %s', (from, spec, message) => {
    expect(layerViolation(file(from), spec)).toMatch(message);
  });
});

describe('import cycles', () => {
  it('src/ has none', () => {
    expect(importCycles(importGraph(file('src')))).toEqual([]);
  });

  it('finds a cycle through three files, type imports included, dynamic imports not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-cycle-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
      fs.writeFileSync(path.join(dir, 'b.ts'), "import type { C } from './c';\nexport const b: C = 1;\n");
      fs.writeFileSync(path.join(dir, 'c.ts'), "import { a } from './a';\nexport type C = typeof a;\n");
      fs.writeFileSync(path.join(dir, 'd.ts'), "export const d = () => import('./e');\n");
      fs.writeFileSync(path.join(dir, 'e.ts'), "import { d } from './d';\nexport const e = d;\n");
      const cycles = importCycles(importGraph(dir)).map((c) => c.map((f) => path.basename(f)).sort());
      expect(cycles).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
