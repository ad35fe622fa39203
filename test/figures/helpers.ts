/** Test helpers for figures: a strict little XML parser, PNG header reading, tiny trained runs. */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { inflateSync } from 'node:zlib';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&([a-z]+|#\d+|#x[0-9a-f]+);|&/gi, (m, e: string | undefined) => {
    if (!e) throw new Error(`bare '&' in XML text`);
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    if (!(e in ENTITY)) throw new Error(`unknown entity ${m}`);
    return ENTITY[e];
  });
}

/**
 * Parse an XML document, throwing on anything not well-formed: unbalanced or crossed tags, bad
 * attribute syntax, duplicate attributes, stray '<' or '&', more than one root, text outside it.
 */
export function parseXml(xml: string): XmlNode {
  let s = xml.replace(/^\uFEFF?<\?xml[^?]*\?>\s*/, '');
  const stack: XmlNode[] = [{ name: '#document', attrs: {}, children: [], text: '' }];
  const tag = /^<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/;
  while (s.length) {
    const lt = s.indexOf('<');
    const text = lt < 0 ? s : s.slice(0, lt);
    if (text) {
      const top = stack[stack.length - 1];
      if (top.name === '#document' && text.trim()) throw new Error(`text outside the root: ${text.slice(0, 30)}`);
      top.text += decode(text);
    }
    if (lt < 0) break;
    s = s.slice(lt);
    if (s.startsWith('<!--')) {
      const end = s.indexOf('-->');
      if (end < 0) throw new Error('unterminated comment');
      s = s.slice(end + 3);
      continue;
    }
    const m = tag.exec(s);
    if (!m) throw new Error(`malformed tag at: ${s.slice(0, 40)}`);
    s = s.slice(m[0].length);
    const [, close, name, rawAttrs, selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs.matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      attrs[a[1]] = decode(a[3] ?? a[4] ?? '');
    }
    const node: XmlNode = { name, attrs, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent.name === '#document' && parent.children.length) throw new Error('more than one root element');
    parent.children.push(node);
    if (!selfClose) stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  const root = stack[0].children[0];
  if (!root) throw new Error('no root element');
  return root;
}

/** Every node below (and including) `n`, depth first. */
export function allNodes(n: XmlNode): XmlNode[] {
  return [n, ...n.children.flatMap(allNodes)];
}

/** Nodes whose class list contains `cls`. */
export function byClass(root: XmlNode, cls: string): XmlNode[] {
  return allNodes(root).filter((n) => (n.attrs.class ?? '').split(/\s+/).includes(cls));
}

/** All text content of <text> elements under `n`. */
export function texts(n: XmlNode): string[] {
  return allNodes(n)
    .filter((x) => x.name === 'text')
    .map((x) => x.text);
}

export interface PngInfo {
  width: number;
  height: number;
  colorType: number;
  /** pHYs pixels per metre (x), if present */
  ppm?: number;
  /** RGBA (or RGB) of the top-left pixel */
  topLeft: number[];
}

/** Read IHDR, pHYs and the first pixel (the first pixel of row 0 is unfiltered for every filter type). */
export function readPng(bytes: Uint8Array): PngInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!sig.every((b, i) => bytes[i] === b)) throw new Error('not a PNG');
  let off = 8;
  const idat: Uint8Array[] = [];
  const info: Partial<PngInfo> = {};
  let bitDepth = 8;
  while (off < bytes.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...bytes.subarray(off + 4, off + 8));
    const data = bytes.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      info.width = view.getUint32(off + 8);
      info.height = view.getUint32(off + 12);
      bitDepth = data[8];
      info.colorType = data[9];
    } else if (type === 'pHYs') info.ppm = view.getUint32(off + 8);
    else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const channels = info.colorType === 6 ? 4 : info.colorType === 2 ? 3 : 1;
  if (bitDepth !== 8) throw new Error(`unexpected bit depth ${bitDepth}`);
  info.topLeft = [...raw.subarray(1, 1 + channels)];
  return info as PngInfo;
}

/** Whether a poppler tool is on the PATH. */
export function hasTool(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return existsSync(`/usr/bin/${name}`);
  }
}

/**
 * A finished two-model pruning study written straight into `store` (no training): model 'A'
 * post and during over seeds 1-2, model 'B' post with one seed; baselines for both.
 */
export function seedStudy(store: import('../../src/core/store/index').RunStore, name = 'tiny study'): string {
  const rates = [0.2, 0.6, 0.9];
  const s = store.createStudy({
    name,
    spec: {
      name,
      models: [
        { label: 'A', preset: 'paper-3d' },
        { label: 'B', preset: 'paper-b14' },
      ],
      rates,
      modes: ['post', 'during'],
      seeds: [1, 2],
    },
    total: 15,
  });
  const acc = (model: string, mode: string, rate: number, seed: number) =>
    (model === 'A' ? 0.9 : 0.8) - rate * (mode === 'post' ? 0.5 : 0.1) - seed * 0.01;
  for (const rate of rates) {
    for (const seed of [1, 2]) {
      for (const mode of ['post', 'during'] as const) {
        store.recordStudyResult(s.id, {
          model: 'A',
          mode,
          rate,
          seed,
          runId: `runA${seed}${mode}`,
          sparsity: rate + 0.001,
          testAccuracy: acc('A', mode, rate, seed),
        });
      }
    }
    store.recordStudyResult(s.id, {
      model: 'B',
      mode: 'post',
      rate,
      seed: 1,
      runId: 'runB1',
      sparsity: rate,
      testAccuracy: acc('B', 'post', rate, 1),
    });
  }
  for (const seed of [1, 2])
    store.recordStudyBaseline(s.id, { model: 'A', seed, runId: `runA${seed}`, testAccuracy: 0.92 - seed * 0.01 });
  store.recordStudyBaseline(s.id, { model: 'B', seed: 1, runId: 'runB1', testAccuracy: 0.85 });
  store.finishStudy(s.id, 'completed');
  return s.id;
}

/** Run the CLI in-process (fast, no child process) in `cwd`, collecting its output. */
export async function runCliInProcess(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/core/cli/main');
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
    stdinIsTTY: false,
    cwd,
    confirm: async () => false,
  });
  return { code, stdout, stderr };
}
