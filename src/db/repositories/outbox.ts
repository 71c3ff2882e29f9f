import { asc, eq } from 'drizzle-orm';
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
