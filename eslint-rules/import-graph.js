/**
 * The import graph of src/, read as text (no TypeScript program: it takes well under a second on
 * this tree) and its cycles, as strongly connected components (Tarjan). Static `import` and
 * `export ... from` count, `import type` too (a type cycle still ties two modules together);
 * dynamic `import()` does not: it is how a module defers loading another (CLI commands, routes).
 */
import fs from 'node:fs';
import path from 'node:path';

const STATIC_IMPORT = /^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gms;
const EXTENSIONS = ['', '.ts', '.vue', '.js', '/index.ts'];

/** Files of a folder tree with a .ts or .vue name (not .d.ts). */
function sourceFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|vue)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/**
 * The file a relative specifier names, or undefined (a package, or a file that does not exist).
 * @param {string} fromFile
 * @param {string} specifier
 * @returns {string | undefined}
 */
export function resolveImport(fromFile, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const ext of EXTENSIONS) {
    const candidate = base + ext;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Relative static import specifiers in a module's text (a .vue file's <script> blocks included). */
export function staticImports(text) {
  const out = [];
  for (const match of text.matchAll(STATIC_IMPORT)) out.push(match[1] ?? match[2]);
  return out;
}

/**
 * Map file -> the files it imports statically, for every source file below root.
 * @param {string} root
 * @returns {Map<string, Set<string>>}
 */
export function importGraph(root) {
  const graph = new Map();
  for (const file of sourceFiles(path.resolve(root))) {
    const text = fs.readFileSync(file, 'utf8');
    const targets = staticImports(text)
      .map((spec) => resolveImport(file, spec))
      .filter((target) => target !== undefined);
    graph.set(file, new Set(targets));
  }
  return graph;
}

/**
 * The strongly connected components of more than one file (each one an import cycle).
 * @param {Map<string, Set<string>>} graph
 * @returns {string[][]}
 */
export function importCycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}
