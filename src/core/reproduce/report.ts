/**
 * The reproduction report: report.md (tables: model, params, paper, ours, difference, runs),
 * report.html (the same content, self-contained, figures embedded by reference) and results.json.
 * Every file is written atomically (temp file + rename), so a stopped run never leaves half a report.
 */
import { meanStdText } from '../../shared/study-stats';
import { join } from 'node:path';
import { writeFileAtomic } from '../figures/render';
import type { AccuracyResult, PruningResult, ReproduceResults, SeedStats } from './types';

/** Writes report.md, report.html and results.json into `results.outDir`. */
export function writeReport(results: ReproduceResults): void {
  writeFileAtomic(join(results.outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const md = reportMarkdown(results);
  writeFileAtomic(join(results.outDir, 'report.md'), md);
  writeFileAtomic(join(results.outDir, 'report.html'), reportHtml(results));
}

/** Accuracy as a percentage with two decimals ("92.17"). */
function pct(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : (x * 100).toFixed(2);
}

function stats(s: SeedStats | null): string {
  return s ? `${meanStdText(s, pct)} (n=${s.n})` : '–';
}

function signed(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '–';
  const v = (x * 100).toFixed(2);
  return x >= 0 ? `+${v}` : v;
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** The header lines: status, the shortened label(s), seeds, backend, run counts. */
function header(r: ReproduceResults): string[] {
  const lines = ['# SEN Lab: reproduction of Erb et al. (arXiv 2506.13410)', ''];
  if (r.shortened) {
    lines.push(
      "> **SHORTENED — not the paper's setup**, so our numbers are not comparable one to one with the paper's:",
      '>',
    );
    lines.push(...r.deviations.map((d) => `> - ${d}`), '');
  } else lines.push("Full setup: the paper's epochs (300 MLPs, 200 SNNs) on all 60,000 / 10,000 MNIST images.", '');
  if (r.status === 'interrupted')
    lines.push(
      '> **Interrupted**: the report holds what finished before the stop; rerun the same command to complete it (finished runs are reused).',
      '',
    );
  lines.push(
    `- created ${r.createdAt}, finished ${r.finishedAt}, status **${r.status}**`,
    `- seeds: ${r.seeds.join(', ')}${r.models ? `; restricted to models: ${r.models.join(', ')}` : ''}`,
    `- backend: ${r.backend ?? 'n/a'}`,
    `- runs reused from the store: ${r.reusedRuns.length}${r.reusedRuns.length ? ` (${r.reusedRuns.join(', ')})` : ''}; trained now: ${r.trainedRuns.length}`,
    '',
    'Accuracies are MNIST test accuracies in %; ours are mean ± sample std over seeds (n); with one seed the mean alone (a sample std needs two seeds: results.json stores `std: null`); difference = ours − paper (percentage points).',
    '',
  );
  return lines;
}

function accuracyTable(e: AccuracyResult, shortenedNote: string): string[] {
  const lines = [
    `## ${e.title}`,
    '',
    `Epochs: ${e.epochs}${e.epochs !== e.paperEpochs ? ` (paper: ${e.paperEpochs})${shortenedNote}` : ''}`,
    '',
  ];
  lines.push(
    '| model | params (ours) | params (paper) | paper acc | ours acc | difference | runs |',
    '|---|---:|---:|---:|---:|---:|---|',
  );
  for (const row of e.rows) {
    const paper =
      row.paper.std !== undefined ? `${pct(row.paper.mean)} ± ${pct(row.paper.std)}` : `~${pct(row.paper.mean)}`;
    let params = thousands(row.params);
    if (row.matchedTo && row.paramRatio !== undefined)
      params += ` (${(row.paramRatio * 100).toFixed(1)} % of ${row.matchedTo})`;
    const paperParams =
      row.paperParams !== undefined
        ? `${thousands(row.paperParams)}${row.paperParams === row.params ? ' ✓' : ' ✗'}`
        : '–';
    const runs = row.runs.map((x) => `${x.runId}${x.reused ? ' (reused)' : ''}`).join(', ') || '–';
    lines.push(
      `| ${row.label} \`${row.id}\` | ${params} | ${paperParams} | ${paper} | ${stats(row.ours)} | ${signed(row.difference)} | ${runs} |`,
    );
  }
  const errors = e.rows.flatMap((row) =>
    row.errors.map((x) => `- ${row.label} seed ${x.seed}: failed${x.runId ? ` (run ${x.runId})` : ''}: ${x.message}`),
  );
  if (errors.length) lines.push('', '**Failed trainings:**', ...errors);
  if (e.rows.some((r) => r.matchedTo)) {
    lines.push(
      '',
      'Parameter matching: the dense baselines are 784-h-10 MLPs; the percentage is their parameter count relative to the spatial model they are matched with.',
    );
  }
  lines.push('');
  return lines;
}

function pruningTable(e: PruningResult, shortenedNote: string): string[] {
  const lines = [`## ${e.title}`, ''];
  lines.push(
    `Epochs: ${e.epochs}${e.epochs !== e.paperEpochs ? ` (paper: ${e.paperEpochs})${shortenedNote}` : ''}; pruning study ${e.studyId ?? '–'} (${e.studyStatus ?? 'not run'}). Paper values are read from its plot (std 0.001–0.09).`,
    '',
  );
  if (e.error) lines.push(`**Study error:** ${e.error}`, '');
  if (e.baselines.length) {
    lines.push(
      'Unpruned: ' +
        e.baselines.map((b) => `${b.model} ${pct(b.testAccuracy)} (runs ${b.runIds.join(', ')})`).join('; '),
      '',
    );
  }
  lines.push('| model | mode | rate | paper acc | ours acc | difference |', '|---|---|---:|---:|---:|---:|');
  for (const p of e.points) {
    const diff = p.ours && p.paper !== null ? p.ours.mean - p.paper : null;
    lines.push(
      `| ${p.model} | ${p.mode} | ${Math.round(p.rate * 100)} % | ${pct(p.paper)} | ${stats(p.ours)} | ${signed(diff)} |`,
    );
  }
  lines.push('');
  return lines;
}

/** The whole report as markdown. */
export function reportMarkdown(r: ReproduceResults): string {
  const note = r.shortened ? ' — **shortened**' : '';
  const lines = header(r);
  for (const e of r.experiments) {
    lines.push(...(e.kind === 'accuracy' ? accuracyTable(e, note) : pruningTable(e, note)));
    const figs = r.figures.filter((f) => f.experiment === e.id);
    for (const f of figs)
      lines.push(`![${f.caption}](${f.file})`, '', `*${f.caption}${r.shortened ? ' (shortened training)' : ''}.*`, '');
  }
  if (r.figureErrors.length)
    lines.push('## Figures not drawn', '', ...r.figureErrors.map((f) => `- ${f.file}: ${f.message}`), '');
  lines.push(
    'All numbers, configs and run ids: `results.json`. Every run is in the run history (`sen-lab runs show ID`).',
    '',
  );
  return lines.join('\n');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Markdown inline code, bold, and images/tables of this report turned into HTML (just enough for our own output). */
function inline(s: string): string {
  return esc(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>');
}

/** The report as one HTML page, converted from the markdown this module writes. */
export function reportHtml(r: ReproduceResults): string {
  const out: string[] = [];
  let table: string[] | null = null;
  let list: string[] | null = null;
  const flush = (): void => {
    if (table) out.push(`<table>${table.join('')}</table>`);
    if (list) out.push(`<ul>${list.join('')}</ul>`);
    table = null;
    list = null;
  };
  for (const line of reportMarkdown(r).split('\n')) {
    if (line.startsWith('|')) {
      if (/^\|[-|: ]+\|$/.test(line)) continue;
      const cells = line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim());
      const tag = table ? 'td' : 'th';
      table ??= [];
      table.push(`<tr>${cells.map((c) => `<${tag}>${inline(c)}</${tag}>`).join('')}</tr>`);
      continue;
    }
    if (line.startsWith('- ')) {
      // consecutive list items form one list (the header's facts), not loose <li>s
      if (table) flush();
      (list ??= []).push(`<li>${inline(line.slice(2))}</li>`);
      continue;
    }
    flush();
    const img = /^!\[(.*)\]\((.*)\)$/.exec(line);
    if (img) out.push(`<figure><img src="${esc(img[2])}" alt="${esc(img[1])}"></figure>`);
    else if (line.startsWith('## ')) out.push(`<h2>${inline(line.slice(3))}</h2>`);
    else if (line.startsWith('# ')) out.push(`<h1>${inline(line.slice(2))}</h1>`);
    else if (line.startsWith('> - ')) out.push(`<blockquote>• ${inline(line.slice(4))}</blockquote>`);
    else if (line.startsWith('> ')) out.push(`<blockquote>${inline(line.slice(2))}</blockquote>`);
    else if (line === '>') continue;
    else if (line.trim()) out.push(`<p>${inline(line)}</p>`);
  }
  flush();
  const style =
    'body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:.5em 0}' +
    'td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}td:first-child,th:first-child{text-align:left}' +
    'blockquote{background:#fff3cd;border-left:4px solid #e0a800;margin:0;padding:.5em 1em}img{max-width:100%}';
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>SEN Lab reproduction</title><style>${style}</style></head><body>\n${out.join('\n')}\n</body></html>\n`;
}
