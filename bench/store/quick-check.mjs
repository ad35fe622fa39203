// What `PRAGMA quick_check` (run when a writer opens the store) costs on a given database:
//   node bench/store/quick-check.mjs FILE.db
// Make a ~1 GB store first with: npx tsx bench/store/make-big-store.ts FILE.db
import Database from 'better-sqlite3';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/store/quick-check.mjs FILE.db');
  process.exit(2);
}
const db = new Database(file, { readonly: true, fileMustExist: true });
const pages = db.pragma('page_count', { simple: true });
const size = db.pragma('page_size', { simple: true });
console.log(`${file}: ${((pages * size) / 1e9).toFixed(2)} GB (${pages} pages of ${size} bytes)`);
for (const p of ['quick_check(20)', 'quick_check(20)', 'integrity_check(20)']) {
  const t = process.hrtime.bigint();
  const r = db
    .pragma(p)
    .map((row) => Object.values(row)[0])
    .join('; ');
  console.log(`${p.padEnd(20)} ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(0).padStart(6)} ms  ${r}`);
}
db.close();
