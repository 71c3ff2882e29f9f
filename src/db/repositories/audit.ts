/** History (every change) and refusals (every refused attempt): both append-only. */
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../index.js';
import { connectionOf, prepared } from '../prepared.js';
import { history, refusals } from '../schema.js';

export type SubjectType = 'product' | 'submission' | 'ticket';
export type HistoryEntry = typeof history.$inferSelect;
export type NewHistoryEntry = typeof history.$inferInsert;
export type RefusalEntry = typeof refusals.$inferSelect;

export function appendHistory(db: DbOrTx, entry: NewHistoryEntry): void {
  // Raw SQL, prepared once: every change writes one, and drizzle maps each value on every call.
  const statement = prepared(db, 'history.append', () =>
    connectionOf(db).prepare(
      `insert into history (subject_type, subject_id, event, from_status, to_status, actor, reason, at)
       values (@subjectType, @subjectId, @event, @fromStatus, @toStatus, @actor, @reason, @at)`,
    ),
  );
  statement.run({
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    event: entry.event,
    fromStatus: entry.fromStatus ?? null,
    toStatus: entry.toStatus ?? null,
    actor: entry.actor,
    reason: entry.reason ?? null,
    at: entry.at.getTime(),
  });
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
