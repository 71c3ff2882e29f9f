import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DB } from '../index.js';
import { type OutboxPayload, outbox, type RecipientKind } from '../schema.js';
import { inserter, rowReader } from '../statements.js';

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

const insertOutboxRow = inserter(
  outbox,
  ['key', 'recipientKind', 'recipient', 'submissionId', 'payload', 'nextAttemptAt', 'createdAt'],
  { ignoreConflicts: true },
);

/** Queues notices; a key that is already queued is left as it is, so a notice is never queued twice. */
export function enqueue(db: DB, rows: readonly NewOutboxRow[], now: Date): number {
  // Prepared once (statements.ts): every use case queues notices.
  let queued = 0;
  for (const row of rows) {
    queued += insertOutboxRow(db, {
      key: row.key,
      recipientKind: row.recipientKind,
      recipient: row.recipient,
      submissionId: row.submissionId,
      payload: row.payload,
      nextAttemptAt: row.notBefore ?? now,
      createdAt: now,
    }).changes;
  }
  return queued;
}

export function listOutbox(db: DB): OutboxRow[] {
  return db.select().from(outbox).orderBy(asc(outbox.id)).all();
}

export function findOutboxRow(db: DB, id: number): OutboxRow | null {
  return db.select().from(outbox).where(eq(outbox.id, id)).get() ?? null;
}

/** Rows still to send, oldest first: the worker decides which are due and keeps each submission in order. */
const outboxRows = rowReader(outbox);

export function listPending(db: DB, limit = 100): OutboxRow[] {
  // Through the row reader: the worker reads this every pass, up to ten times a second when busy.
  const statement = outboxRows.statement(db, 'sent_at is null and dead_at is null order by id limit ?');
  return outboxRows.all(statement.all(limit));
}

export function markSent(db: DB, ids: readonly number[], at: Date): void {
  if (ids.length === 0) return;
  db.update(outbox)
    .set({ sentAt: at, lastError: null })
    .where(inArray(outbox.id, [...ids]))
    .run();
}

/** An attempt starts: counted before the call, so a crash mid-call is remembered. */
export function markAttempt(db: DB, ids: readonly number[], at: Date): void {
  if (ids.length === 0) return;
  db.update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, lastAttemptAt: at })
    .where(inArray(outbox.id, [...ids]))
    .run();
}

/** Try again at `next`; `attemptsDelta` -1 gives back an attempt that Slack only rate-limited. */
export function markRetry(
  db: DB,
  ids: readonly number[],
  next: Date,
  error: string,
  attemptsDelta: number,
): void {
  if (ids.length === 0) return;
  db.update(outbox)
    .set({
      nextAttemptAt: next,
      lastError: error.slice(0, 1000),
      attempts: sql`max(0, ${outbox.attempts} + ${attemptsDelta})`,
    })
    .where(inArray(outbox.id, [...ids]))
    .run();
}

export function markDead(db: DB, ids: readonly number[], at: Date, error: string): void {
  if (ids.length === 0) return;
  db.update(outbox)
    .set({ deadAt: at, lastError: error.slice(0, 1000) })
    .where(inArray(outbox.id, [...ids]))
    .run();
}

export interface OutboxCounts {
  readonly pending: number;
  readonly dead: number;
  readonly oldestPendingAt: Date | null;
}

export function outboxCounts(db: DB): OutboxCounts {
  // Two searches of the outbox_pending index, not a scan of every row ever sent (the health check asks this).
  const unsent = isNull(outbox.sentAt);
  const pending = db
    .select({ count: sql<number>`count(*)`, oldest: sql<number | null>`min(${outbox.createdAt})` })
    .from(outbox)
    .where(and(unsent, isNull(outbox.deadAt)))
    .get();
  // A dead row was never sent: only unsent rows are ever given up on.
  const dead = db
    .select({ count: sql<number>`count(*)` })
    .from(outbox)
    .where(and(unsent, isNotNull(outbox.deadAt)))
    .get();
  return {
    pending: pending?.count ?? 0,
    dead: dead?.count ?? 0,
    oldestPendingAt: pending?.oldest ? new Date(pending.oldest) : null,
  };
}

export function listDead(db: DB): OutboxRow[] {
  return db.select().from(outbox).where(isNotNull(outbox.deadAt)).orderBy(asc(outbox.id)).all();
}

/** Puts a dead or failing row back in line, to be sent at once with a fresh count of attempts. */
export function requeue(db: DB, id: number, at: Date): boolean {
  const result = db
    .update(outbox)
    .set({ deadAt: null, attempts: 0, nextAttemptAt: at, lastError: null })
    .where(and(eq(outbox.id, id), isNull(outbox.sentAt)))
    .run();
  return result.changes === 1;
}
