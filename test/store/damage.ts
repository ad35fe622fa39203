/** Test helpers: a filled run database, and a damage that quick_check detects. */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { RunStore } from '../../src/core/store';
import { metrics, sampleConfig } from './helpers';

/** A store with `runs` runs of 3 epochs each, closed (WAL checkpointed into the file). */
export function filledStore(file: string, runs = 60): string[] {
  const store = RunStore.open(file);
  const ids: string[] = [];
  for (let r = 0; r < runs; r++) {
    const run = store.createRun({ config: sampleConfig({ name: `run ${r}` }), backend: 'wasm', params: 100 });
    for (let e = 1; e <= 3; e++) store.recordEpoch(run.id, metrics(e));
    store.finishRun(run.id, 'completed');
    ids.push(run.id);
  }
  store.close();
  return ids;
}

/** Overwrites the cell pointers of a middle leaf page of `table`: a damage quick_check sees. */
export function damagePage(file: string, table: string): void {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = db
    .prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all(table) as number[];
  db.close();
  if (leaves.length < 3) throw new Error(`table ${table} has only ${leaves.length} leaf pages; add rows`);
  const page = leaves[Math.floor(leaves.length / 2)];
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(64, 0xee), 0, 64, (page - 1) * pageSize + 8);
  fs.closeSync(fd);
}
