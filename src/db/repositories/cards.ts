import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index.js';
import { connectionOf, prepared } from '../prepared.js';
import { cards, reporterSites } from '../schema.js';

export type CardLocation = typeof cards.$inferSelect;

export function findCard(db: DbOrTx, submissionId: number): CardLocation | null {
  const statement = prepared(db, 'cards.bySubmission', () =>
    db
      .select()
      .from(cards)
      .where(eq(cards.submissionId, sql.placeholder('submissionId')))
      .prepare(),
  );
  return statement.get({ submissionId }) ?? null;
}

/** Where the cards of these submissions are, in one query: the outbox worker asks for a whole pass at once. */
export function cardChannels(db: DbOrTx, submissionIds: readonly number[]): Map<number, string> {
  if (submissionIds.length === 0) return new Map();
  const statement = prepared(db, 'cards.channelsOf', () =>
    connectionOf(db).prepare(
      'select submission_id as id, channel from cards where submission_id in (select value from json_each(?))',
    ),
  );
  const rows = statement.all(JSON.stringify(submissionIds)) as { id: number; channel: string }[];
  return new Map(rows.map((row) => [row.id, row.channel]));
}

export function saveCard(db: DbOrTx, submissionId: number, channel: string, ts: string, now: Date): void {
  db.insert(cards)
    .values({ submissionId, channel, ts, updatedAt: now })
    .onConflictDoUpdate({ target: cards.submissionId, set: { channel, ts, updatedAt: now } })
    .run();
}

export function rememberedSite(db: DbOrTx, userId: string): string | null {
  return db.select().from(reporterSites).where(eq(reporterSites.userId, userId)).get()?.site ?? null;
}

export function rememberSite(db: DbOrTx, userId: string, site: string, now: Date): void {
  db.insert(reporterSites)
    .values({ userId, site, updatedAt: now })
    .onConflictDoUpdate({ target: reporterSites.userId, set: { site, updatedAt: now } })
    .run();
}
