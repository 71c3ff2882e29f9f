import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index.js';
import { prepared } from '../prepared.js';
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
