/** History (every change) and refusals (every refused attempt): both append-only. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index.js';
import { prepared } from '../prepared.js';
import { history, refusals } from '../schema.js';

export type SubjectType = 'product' | 'submission' | 'ticket';
export type HistoryEntry = typeof history.$inferSelect;
export type NewHistoryEntry = typeof history.$inferInsert;
export type RefusalEntry = typeof refusals.$inferSelect;

const HISTORY_COLUMNS = [
  'subjectType',
  'subjectId',
  'event',
  'fromStatus',
  'toStatus',
  'actor',
  'reason',
  'at',
] as const;

export function appendHistory(db: DbOrTx, entry: NewHistoryEntry): void {
  const statement = prepared(db, 'history.append', () =>
    db
      .insert(history)
      .values(Object.fromEntries(HISTORY_COLUMNS.map((column) => [column, sql.placeholder(column)])) as never)
      .prepare(),
  );
  statement.run({ fromStatus: null, toStatus: null, reason: null, ...entry });
}

export function historyOf(db: DbOrTx, subjectType: SubjectType, subjectId: number): HistoryEntry[] {
  return db
    .select()
    .from(history)
    .where(and(eq(history.subjectType, subjectType), eq(history.subjectId, subjectId)))
    .orderBy(asc(history.id))
    .all();
}

export function allHistory(db: DbOrTx): HistoryEntry[] {
  return db.select().from(history).orderBy(asc(history.id)).all();
}

export function recordRefusal(db: DbOrTx, entry: typeof refusals.$inferInsert): void {
  db.insert(refusals).values(entry).run();
}

export function listRefusals(db: DbOrTx): RefusalEntry[] {
  return db.select().from(refusals).orderBy(asc(refusals.id)).all();
}
