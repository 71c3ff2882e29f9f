import { eq, sql } from 'drizzle-orm';
import type { DB } from '../index.js';
import { cards, reporterSites } from '../schema.js';
import { cachedOn, preparedOn } from '../statements.js';

export type CardLocation = typeof cards.$inferSelect;

export function findCard(db: DB, submissionId: number): CardLocation | null {
  const statement = cachedOn(db, 'cards.bySubmission', () =>
    db
      .select()
      .from(cards)
      .where(eq(cards.submissionId, sql.placeholder('submissionId')))
      .prepare(),
  );
  return statement.get({ submissionId }) ?? null;
}

/** Where the cards of these submissions are, in one query: the outbox worker asks for a whole pass at once. */
export function cardChannels(db: DB, submissionIds: readonly number[]): Map<number, string> {
  if (submissionIds.length === 0) return new Map();
  // One statement for any number of ids (a list bound as JSON): the worker asks this on every pass.
  const statement = preparedOn(
    db,
    'select submission_id as id, channel from cards where submission_id in (select value from json_each(?))',
  );
  const rows = statement.all(JSON.stringify(submissionIds)) as { id: number; channel: string }[];
  return new Map(rows.map((row) => [row.id, row.channel]));
}

export function saveCard(db: DB, submissionId: number, channel: string, ts: string, now: Date): void {
  db.insert(cards)
    .values({ submissionId, channel, ts, updatedAt: now })
    .onConflictDoUpdate({ target: cards.submissionId, set: { channel, ts, updatedAt: now } })
    .run();
}

export function rememberedSite(db: DB, userId: string): string | null {
  return db.select().from(reporterSites).where(eq(reporterSites.userId, userId)).get()?.site ?? null;
}

export function rememberSite(db: DB, userId: string, site: string, now: Date): void {
  db.insert(reporterSites)
    .values({ userId, site, updatedAt: now })
    .onConflictDoUpdate({ target: reporterSites.userId, set: { site, updatedAt: now } })
    .run();
}
