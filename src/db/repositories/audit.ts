/** History (every change) and refusals (every refused attempt): both append-only. */
import { and, asc, eq } from 'drizzle-orm';
import type { DB } from '../index.js';
import { history, refusals } from '../schema.js';
import { inserter } from '../statements.js';

export type SubjectType = 'product' | 'submission' | 'ticket';
export type HistoryEntry = typeof history.$inferSelect;
export type NewHistoryEntry = typeof history.$inferInsert;
export type RefusalEntry = typeof refusals.$inferSelect;

const insertHistory = inserter(history, [
  'subjectType',
  'subjectId',
  'event',
  'fromStatus',
  'toStatus',
  'actor',
  'reason',
  'at',
]);

/** Every change writes one: prepared once (statements.ts). */
export function appendHistory(db: DB, entry: NewHistoryEntry): void {
  insertHistory(db, entry);
}

export function historyOf(db: DB, subjectType: SubjectType, subjectId: number): HistoryEntry[] {
  return db
    .select()
    .from(history)
    .where(and(eq(history.subjectType, subjectType), eq(history.subjectId, subjectId)))
    .orderBy(asc(history.id))
    .all();
}

export function allHistory(db: DB): HistoryEntry[] {
  return db.select().from(history).orderBy(asc(history.id)).all();
}

export function recordRefusal(db: DB, entry: typeof refusals.$inferInsert): void {
  db.insert(refusals).values(entry).run();
}

export function listRefusals(db: DB): RefusalEntry[] {
  return db.select().from(refusals).orderBy(asc(refusals.id)).all();
}
