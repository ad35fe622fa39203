/**
 * SQL for `RunStore.listRuns`: filters on the runs table only (no blobs, no epochs).
 */
import { StoreError } from './errors';
import { likeContains } from './ids';
import { SUMMARY_COLUMNS } from './rows';
import { RUN_STATUSES, type ListRunsOptions, type RunOrderBy } from './types';

const ORDER_COLUMNS: Record<RunOrderBy, { expr: string; nullable: boolean }> = {
  createdAt: { expr: 'created_at', nullable: false },
  name: { expr: 'name COLLATE NOCASE', nullable: false },
  testAccuracy: { expr: 'test_accuracy', nullable: true },
  durationMs: { expr: 'duration_ms', nullable: false },
  epochsDone: { expr: 'epochs_done', nullable: false },
};

const SEARCH_FIELDS = ['id', 'name', "coalesce(preset, '')", 'tags', 'notes'];

/** A listRuns query: SQL and its positional parameters. */
export interface ListQuery {
  sql: string;
  params: (string | number)[];
}

/** Builds the SELECT for {@link ListRunsOptions}; throws StoreError 'invalid' for bad options. */
export function buildListQuery(opts: ListRunsOptions): ListQuery {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (!opts.includeArchived) where.push('archived = 0');
  if (opts.status !== undefined) {
    const statuses = Array.isArray(opts.status) ? opts.status : [opts.status];
    for (const s of statuses) {
      if (!(RUN_STATUSES as readonly string[]).includes(s))
        throw new StoreError('invalid', `listRuns: unknown status '${s}'`);
    }
    where.push(statuses.length ? `status IN (${statuses.map(() => '?').join(', ')})` : '0');
    params.push(...statuses);
  }
  const tag = opts.tag?.trim();
  if (tag) {
    where.push('EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE json_each.value = ?)');
    params.push(tag);
  }
  for (const term of (opts.search ?? '').split(/\s+/).filter((t) => t !== '')) {
    where.push('(' + SEARCH_FIELDS.map((f) => `${f} LIKE ? ESCAPE '\\'`).join(' OR ') + ')');
    for (let i = 0; i < SEARCH_FIELDS.length; i++) params.push(likeContains(term));
  }

  const orderBy = opts.orderBy ?? 'createdAt';
  const order = ORDER_COLUMNS[orderBy];
  if (order === undefined) throw new StoreError('invalid', `listRuns: unknown orderBy '${orderBy}'`);
  const direction = opts.direction ?? (orderBy === 'name' ? 'asc' : 'desc');
  if (direction !== 'asc' && direction !== 'desc')
    throw new StoreError('invalid', `listRuns: bad direction '${direction}'`);
  const dir = direction.toUpperCase();
  const keys = [...(order.nullable ? [`${order.expr} IS NULL`] : []), `${order.expr} ${dir}`, `rowid ${dir}`];

  let sql = `SELECT ${SUMMARY_COLUMNS} FROM runs`;
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  sql += ` ORDER BY ${keys.join(', ')}`;
  if (opts.limit !== undefined || opts.offset !== undefined) {
    sql += ' LIMIT ? OFFSET ?';
    params.push(toCount(opts.limit, -1, 'limit'), toCount(opts.offset, 0, 'offset'));
  }
  return { sql, params };
}

function toCount(n: number | undefined, fallback: number, what: string): number {
  if (n === undefined) return fallback;
  if (!Number.isInteger(n) || n < 0) throw new StoreError('invalid', `listRuns: bad ${what} ${n}`);
  return n;
}
