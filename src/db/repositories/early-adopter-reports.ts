import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DB } from '../index.js';
import { earlyAdopterReports, reportRates, tickets } from '../schema.js';

export type EarlyAdopterReport = typeof earlyAdopterReports.$inferSelect;

export function insertEarlyAdopterReport(
  db: DB,
  report: typeof earlyAdopterReports.$inferInsert,
): EarlyAdopterReport {
  return db.insert(earlyAdopterReports).values(report).returning().get();
}

/** The report this person already sent from this site (in any case) about this ticket with this outcome. */
export function findSameReport(
  db: DB,
  key: Pick<EarlyAdopterReport, 'ticketId' | 'reporter' | 'site' | 'outcome'>,
): EarlyAdopterReport | null {
  return (
    db
      .select()
      .from(earlyAdopterReports)
      .where(
        and(
          eq(earlyAdopterReports.ticketId, key.ticketId),
          eq(earlyAdopterReports.reporter, key.reporter),
          sql`lower(${earlyAdopterReports.site}) = lower(${key.site})`,
          eq(earlyAdopterReports.outcome, key.outcome),
        ),
      )
      .get() ?? null
  );
}

export function updateEarlyAdopterReport(
  db: DB,
  id: number,
  change: Pick<
    EarlyAdopterReport,
    'site' | 'details' | 'installKind' | 'upgradedFrom' | 'tested' | 'workaround' | 'at' | 'listedSite'
  >,
): EarlyAdopterReport {
  return db
    .update(earlyAdopterReports)
    .set(change)
    .where(eq(earlyAdopterReports.id, id))
    .returning()
    .get() as EarlyAdopterReport;
}

/**
 * Counts one more report by `userId` in the minute that started at its window's start; a window older than
 * `windowMs` starts again now. Returns the count in the current window, this report included.
 */
export function countReport(db: DB, userId: string, now: Date, windowMs: number): number {
  const row = db.select().from(reportRates).where(eq(reportRates.userId, userId)).get();
  const fresh = !row || row.windowStart.getTime() <= now.getTime() - windowMs;
  const next = { userId, windowStart: fresh ? now : row.windowStart, count: fresh ? 1 : row.count + 1 };
  db.insert(reportRates)
    .values(next)
    .onConflictDoUpdate({
      target: reportRates.userId,
      set: { windowStart: next.windowStart, count: next.count },
    })
    .run();
  return next.count;
}

export function reportsOfSubmission(db: DB, submissionId: number): EarlyAdopterReport[] {
  const ticketIds = db.select({ id: tickets.id }).from(tickets).where(eq(tickets.submissionId, submissionId));
  return db
    .select()
    .from(earlyAdopterReports)
    .where(inArray(earlyAdopterReports.ticketId, ticketIds))
    .orderBy(asc(earlyAdopterReports.id))
    .all();
}

/** Whether some site reported "Installed, works" on this ticket. */
export function hasWorksReportOn(db: DB, ticketId: number): boolean {
  return (
    db
      .select({ id: earlyAdopterReports.id })
      .from(earlyAdopterReports)
      .where(and(eq(earlyAdopterReports.ticketId, ticketId), eq(earlyAdopterReports.outcome, 'works')))
      .limit(1)
      .get() !== undefined
  );
}

export function allEarlyAdopterReports(db: DB): EarlyAdopterReport[] {
  return db.select().from(earlyAdopterReports).orderBy(asc(earlyAdopterReports.id)).all();
}
