/**
 * The reproduction report folders under the reports folder, listed and read for the app: every
 * `sen-lab-report-*` folder with a results.json is one earlier reproduction (nothing else records
 * them, so they outlive the process that ran them), and its report.html is served with its
 * figures inlined as data: URLs so the app can show it and a browser can download it whole.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { StoreError } from '../../core/store/index';
import type {
  ReproductionListItem,
  ReproductionReport,
  ReproductionResults,
  ReproductionSummary,
} from '../../shared/lab-api';

const FOLDER = /^sen-lab-report-[\w.-]+$/;

/** results.json of `dir`, or null when it is absent or unreadable (a report being written is skipped). */
function readResults(dir: string): (ReproductionResults & { createdAt?: string; finishedAt?: string }) | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ReproductionResults;
  } catch {
    return null;
  }
}

/** Every report folder under `root`, newest first; `current` (the reproduction of this process) is marked running. */
export function listReports(root: string, current: ReproductionSummary | null): ReproductionListItem[] {
  const names = existsSync(root) ? readdirSync(root).filter((n) => FOLDER.test(n)) : [];
  const items: ReproductionListItem[] = [];
  for (const name of names) {
    const dir = join(root, name);
    const r = readResults(dir);
    const mine = current?.outDir === dir ? current : null;
    if (!r && !mine) continue;
    items.push({
      id: name,
      outDir: dir,
      status: mine?.status === 'running' ? 'running' : (r?.status ?? mine?.status ?? 'interrupted'),
      createdAt: r?.createdAt ?? mine?.startedAt ?? null,
      finishedAt: mine?.status === 'running' ? null : (r?.finishedAt ?? mine?.finishedAt ?? null),
      shortened: r?.shortened ?? false,
      seeds: r?.seeds ?? mine?.request.seeds ?? [],
      experiments: r?.experiments.map((e) => e.id) ?? mine?.request.experiments ?? [],
    });
  }
  const time = (i: ReproductionListItem): string => i.createdAt ?? '';
  return items.sort((a, b) => time(b).localeCompare(time(a)) || b.id.localeCompare(a.id));
}

const MIME: Record<string, string> = { svg: 'image/svg+xml', png: 'image/png' };

/** report.html with every `<img src="figures/...">` of the folder inlined (missing files stay as they are). */
export function inlineFigures(html: string, dir: string): string {
  return html.replace(/<img src="(figures\/[\w.-]+\.(svg|png))"/g, (all, file: string, ext: string) => {
    const path = join(dir, file);
    if (!existsSync(path)) return all;
    return `<img src="data:${MIME[ext]};base64,${readFileSync(path).toString('base64')}"`;
  });
}

/**
 * One report folder's results and report.
 * @throws StoreError 'not-found' for a name that is not a report folder under `root` (or has no results.json yet)
 */
export function readReport(root: string, id: string): ReproductionReport {
  const dir = join(root, basename(id));
  const results = FOLDER.test(id) && basename(id) === id ? readResults(dir) : null;
  if (!results) {
    throw new StoreError(
      'not-found',
      `no reproduction report '${id}' in ${root} (a folder sen-lab-report-* with results.json)`,
    );
  }
  const read = (file: string): string => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '');
  return { id, results, html: inlineFigures(read('report.html'), dir), markdown: read('report.md') };
}
