import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index.js';
import { type OutboxPayload, outbox, type RecipientKind } from '../schema.js';

export interface NewOutboxRow {
  readonly key: string;
  readonly recipientKind: RecipientKind;
  readonly recipient: string;
  readonly submissionId: number | null;
  readonly payload: OutboxPayload;
  /** Not sent before this instant (a held notice); defaults to at once. */
  readonly notBefore?: Date;
}

export type OutboxRow = typeof outbox.$inferSelect;

/** Queues notices; a key that is already queued is left as it is, so a notice is never queued twice. */
export function enqueue(db: DbOrTx, rows: readonly NewOutboxRow[], now: Date): number {
  let queued = 0;
  for (const { notBefore, ...row } of rows) {
    const result = db
      .insert(outbox)
      .values({ ...row, nextAttemptAt: notBefore ?? now, createdAt: now })
      .onConflictDoNothing({ target: outbox.key })
      .run();
    queued += result.changes;
  }
  return queued;
}

export function listOutbox(db: DbOrTx): OutboxRow[] {
  return db.select().from(outbox).orderBy(asc(outbox.id)).all();
}

export function findOutboxRow(db: DbOrTx, id: number): OutboxRow | null {
  return db.select().from(outbox).where(eq(outbox.id, id)).get() ?? null;
}

/** Rows still to send, oldest first: the worker decides which are due and keeps each submission in order. */
export function listPending(db: DbOrTx, limit = 1000): OutboxRow[] {
  return db
    .select()
    .from(outbox)
    .where(and(isNull(outbox.sentAt), isNull(outbox.deadAt)))
    .orderBy(asc(outbox.id))
    .limit(limit)
    .all();
}

export function markSent(db: DbOrTx, ids: readonly number[], at: Date): void {
  if (ids.length === 0) return;
  db.update(outbox)
    .set({ sentAt: at, lastError: null })
    .where(inArray(outbox.id, [...ids]))
    .run();
}

export function markRetry(
  db: DbOrTx,
  ids: readonly number[],
  next: Date,
  error: string,
  countAttempt: boolean,
): void {
  if (ids.length === 0) return;
  db.update(outbox)
    .set({
      nextAttemptAt: next,
      lastError: error.slice(0, 1000),
      ...(countAttempt ? { attempts: sql`${outbox.attempts} + 1` } : {}),
    })
    .where(inArray(outbox.id, [...ids]))
    .run();
}

export function markDead(db: DbOrTx, ids: readonly number[], at: Date, error: string): void {
  if (ids.length === 0) return;
  db.update(outbox)
    .set({ deadAt: at, lastError: error.slice(0, 1000), attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, [...ids]))
    .run();
}

export interface OutboxCounts {
  readonly pending: number;
  readonly dead: number;
  readonly oldestPendingAt: Date | null;
}

export function outboxCounts(db: DbOrTx): OutboxCounts {
  const row = db
    .select({
      pending: sql<number>`sum(case when ${outbox.sentAt} is null and ${outbox.deadAt} is null then 1 else 0 end)`,
      dead: sql<number>`sum(case when ${outbox.deadAt} is not null then 1 else 0 end)`,
      oldest: sql<
        number | null
      >`min(case when ${outbox.sentAt} is null and ${outbox.deadAt} is null then ${outbox.createdAt} end)`,
    })
    .from(outbox)
    .get();
  return {
    pending: row?.pending ?? 0,
    dead: row?.dead ?? 0,
    oldestPendingAt: row?.oldest ? new Date(row.oldest) : null,
  };
}
