/**
 * `sen/no-cycle`: no static import cycle among the files of src/ (see import-graph.js for what
 * counts). The graph is built once per ESLint process from the files on disk (~50 ms), so an editor
 * that keeps ESLint running sees a cycle it creates after a restart of its ESLint server.
 */
import path from 'node:path';
import { importCycles, importGraph, resolveImport } from './import-graph.js';

const SRC = path.resolve(import.meta.dirname, '..', 'src');
let cycleOf;

/** Map file -> the cycle (list of files) it belongs to; computed on first use. */
function cycles() {
  if (!cycleOf) {
    cycleOf = new Map();
    for (const component of importCycles(importGraph(SRC))) for (const file of component) cycleOf.set(file, component);
  }
  return cycleOf;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'forbid static import cycles among the files of src/' },
    schema: [],
    messages: { cycle: 'import cycle: {{files}} import each other (move the shared part into a module both import)' },
  },
  create(context) {
    const file = context.filename;
    if (!file.startsWith(SRC + path.sep)) return {};
    const check = (node) => {
      const component = cycles().get(file);
      const target = component && node.source && resolveImport(file, String(node.source.value));
      if (!target || !component.includes(target)) return;
      const files = component.map((f) => path.relative(SRC, f)).join(', ');
      context.report({ node: node.source, messageId: 'cycle', data: { files } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
