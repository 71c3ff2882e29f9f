/** History (every change) and refusals (every refused attempt): both append-only. */
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../index.js';
import { history, refusals } from '../schema.js';

export type SubjectType = 'product' | 'submission' | 'ticket';
export type HistoryEntry = typeof history.$inferSelect;
export type NewHistoryEntry = typeof history.$inferInsert;
export type RefusalEntry = typeof refusals.$inferSelect;

export function appendHistory(db: DbOrTx, entry: NewHistoryEntry): void {
  db.insert(history).values(entry).run();
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
