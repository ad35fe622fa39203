/**
 * `sen/layers`: the architecture's import rules (README, "Architecture"), checked on every import,
 * re-export, dynamic `import()` and `import('...')` type of src/:
 *   src/shared   imports nothing of ours (it is loaded by every other layer, the renderer included);
 *   src/core     shared and core only: never main, preload, renderer, Electron or a DOM-only package;
 *   src/main     shared, core and main;
 *   src/preload  shared only (and electron's contextBridge);
 *   src/renderer shared and renderer only: never core or main, Electron or Node's built-ins.
 * Relative specifiers are resolved against the importing file, so `../main` inside the renderer (its
 * own main.ts) is not mistaken for src/main. Files outside src/ (test, bench) are not restricted.
 */
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Which folders of the repository each layer may import from. */
const ALLOWED = {
  shared: ['src/shared'],
  core: ['src/shared', 'src/core', 'bench'], // `sen-lab bench` runs bench/run-bench.ts
  main: ['src/shared', 'src/core', 'src/main'],
  preload: ['src/shared', 'src/preload'],
  renderer: ['src/shared', 'src/renderer'],
};

const NODE_BUILTIN = /^node:/;
const DOM_ONLY = /^(vue|vue-router|pixi\.js|echarts)(\/|$)/;
const ELECTRON = /^electron(\/|$)/;

/** Packages each layer may not import, with the reason the message gives. */
const FORBIDDEN_PACKAGES = {
  shared: [
    [ELECTRON, 'src/shared is loaded by the renderer and the engine: no Electron'],
    [NODE_BUILTIN, 'src/shared is loaded by the renderer: no Node built-ins'],
    [DOM_ONLY, 'src/shared is loaded by the engine: no DOM-only package'],
  ],
  core: [
    [ELECTRON, 'src/core is the engine of the CLI too: no Electron'],
    [DOM_ONLY, 'src/core runs in Node: no DOM-only package'],
  ],
  main: [[DOM_ONLY, 'src/main runs in Node: no DOM-only package']],
  preload: [[NODE_BUILTIN, 'the preload is sandboxed: no Node built-ins']],
  renderer: [
    [ELECTRON, 'the renderer reaches Electron only through the preload (window.lab)'],
    [NODE_BUILTIN, 'the renderer runs in a browser: no Node built-ins'],
    [/^(better-sqlite3|@tensorflow\/)/, 'the renderer reaches the engine only through LabApi'],
  ],
};

/** The layer name of a file of src/ ('core', 'renderer', ...), or undefined outside src/. */
export function layerOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep);
  return rel[0] === 'src' && rel[1] in ALLOWED ? rel[1] : undefined;
}

/**
 * Why `specifier` may not be imported by `file`, or undefined when it may.
 * @param {string} file
 * @param {string} specifier
 * @returns {string | undefined}
 */
export function layerViolation(file, specifier) {
  const layer = layerOf(file);
  if (layer === undefined) return undefined;
  if (!specifier.startsWith('.')) {
    const hit = FORBIDDEN_PACKAGES[layer].find(([pattern]) => pattern.test(specifier));
    return hit ? `'${specifier}': ${hit[1]}` : undefined;
  }
  const target = path
    .relative(ROOT, path.resolve(path.dirname(file), specifier))
    .split(path.sep)
    .join('/');
  const ok = ALLOWED[layer].some((dir) => target === dir || target.startsWith(`${dir}/`));
  return ok ? undefined : `src/${layer} may import only ${ALLOWED[layer].join(', ')}; '${specifier}' is ${target}`;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the src/ layer rules (shared, core, main, preload, renderer)' },
    schema: [],
    messages: { layer: '{{reason}}' },
  },
  create(context) {
    const file = context.filename;
    if (layerOf(file) === undefined) return {};
    const check = (source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const reason = layerViolation(file, source.value);
      if (reason) context.report({ node: source, messageId: 'layer', data: { reason } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument),
    };
  },
};
