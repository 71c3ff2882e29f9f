import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../index.js';
import { earlyAdopterReports, tickets } from '../schema.js';

export type EarlyAdopterReport = typeof earlyAdopterReports.$inferSelect;

export function insertEarlyAdopterReport(
  db: DbOrTx,
  report: typeof earlyAdopterReports.$inferInsert,
): EarlyAdopterReport {
  return db.insert(earlyAdopterReports).values(report).returning().get();
}

export function reportsOfSubmission(db: DbOrTx, submissionId: number): EarlyAdopterReport[] {
  const ticketIds = db.select({ id: tickets.id }).from(tickets).where(eq(tickets.submissionId, submissionId));
  return db
    .select()
    .from(earlyAdopterReports)
    .where(inArray(earlyAdopterReports.ticketId, ticketIds))
    .orderBy(asc(earlyAdopterReports.id))
    .all();
}

export function allEarlyAdopterReports(db: DbOrTx): EarlyAdopterReport[] {
  return db.select().from(earlyAdopterReports).orderBy(asc(earlyAdopterReports.id)).all();
}
