/** The release train's rows: releases, and the tickets each holds. */
import { and, asc, eq, lte, ne, notExists, type SQL, sql } from 'drizzle-orm';
import { OFF_THE_TRAIN, type ReleaseState } from '../../domain/releases.js';
import type { TicketStatus } from '../../domain/ticket-machine.js';
import type { DB } from '../index.js';
import { statusNotIn } from '../literals.js';
import { releaseItems, releases, submissions, tickets } from '../schema.js';

export type Release = typeof releases.$inferSelect;
export type ReleaseItem = typeof releaseItems.$inferSelect;

export function insertRelease(db: DB, release: typeof releases.$inferInsert): Release {
  return db.insert(releases).values(release).returning().get();
}

export function findRelease(db: DB, distribution: string, version: string): Release | null {
  return (
    db
      .select()
      .from(releases)
      .where(and(eq(releases.distribution, distribution), eq(releases.version, version)))
      .get() ?? null
  );
}

/** A distribution's releases, earliest date first. */
export function releasesOf(db: DB, distribution: string): Release[] {
  return db
    .select()
    .from(releases)
    .where(eq(releases.distribution, distribution))
    .orderBy(asc(releases.releaseDate), asc(releases.id))
    .all();
}

export function listReleases(db: DB): Release[] {
  return db.select().from(releases).orderBy(asc(releases.releaseDate), asc(releases.id)).all();
}

/** Planned releases whose cut-off has come, earliest first. */
export function releasesDueToFreeze(db: DB, at: Date): Release[] {
  return db
    .select()
    .from(releases)
    .where(and(eq(releases.state, 'planned'), lte(releases.cutoffAt, at)))
    .orderBy(asc(releases.cutoffAt), asc(releases.id))
    .all();
}

/**
 * Moves a release from `from` to `to`, only if it is still in `from`: of two processes (or a restart in the
 * middle of a check), exactly one sees true.
 */
export function changeReleaseState(
  db: DB,
  id: number,
  from: ReleaseState,
  to: ReleaseState,
  at: Date,
  extra: Pick<Partial<Release>, 'notesUrl' | 'cancelledReason'> = {},
): boolean {
  const when = to === 'frozen' ? { frozenAt: at } : to === 'published' ? { publishedAt: at } : {};
  return (
    db
      .update(releases)
      .set({ state: to, ...when, ...extra })
      .where(and(eq(releases.id, id), eq(releases.state, from)))
      .run().changes === 1
  );
}

/** The staff's text of a release's notes (null: drafted from the data). */
export function setReleaseNotes(
  db: DB,
  id: number,
  notes: Pick<Release, 'description' | 'installationNotes' | 'knownIssues'>,
): void {
  db.update(releases).set(notes).where(eq(releases.id, id)).run();
}

/**
 * The freeze's candidates join: a ticket already there (added by hand before) stays as it was. In slices, as one
 * statement binds at most 32,766 values.
 */
export function addReleaseItems(db: DB, items: readonly (typeof releaseItems.$inferInsert)[]): void {
  for (let start = 0; start < items.length; start += 1000) {
    db.insert(releaseItems)
      .values(items.slice(start, start + 1000))
      .onConflictDoNothing()
      .run();
  }
}

/** Staff add a ticket, or take one out before the freeze (`excluded`): what they did last is what stands. */
export function setReleaseItem(db: DB, item: typeof releaseItems.$inferInsert & { excluded: boolean }): void {
  const { releaseId: _release, ticketId: _ticket, ...change } = item;
  db.insert(releaseItems)
    .values(item)
    .onConflictDoUpdate({ target: [releaseItems.releaseId, releaseItems.ticketId], set: change })
    .run();
}

/** Staff take a ticket out of a frozen release: it is gone from it, as if it had never joined. */
export function removeReleaseItem(db: DB, releaseId: number, ticketId: number): boolean {
  return (
    db
      .delete(releaseItems)
      .where(
        and(
          eq(releaseItems.releaseId, releaseId),
          eq(releaseItems.ticketId, ticketId),
          eq(releaseItems.excluded, false),
        ),
      )
      .run().changes === 1
  );
}

/** The tickets a release holds (taken-out ones are not). */
export function itemsOfRelease(db: DB, releaseId: number): ReleaseItem[] {
  return itemsWhere(db, releaseId, false);
}

/** The tickets staff took out of a release before its freeze, with who did it and why. */
export function itemsTakenOut(db: DB, releaseId: number): ReleaseItem[] {
  return itemsWhere(db, releaseId, true);
}

function itemsWhere(db: DB, releaseId: number, excluded: boolean): ReleaseItem[] {
  return db
    .select()
    .from(releaseItems)
    .where(and(eq(releaseItems.releaseId, releaseId), eq(releaseItems.excluded, excluded)))
    .orderBy(asc(releaseItems.ticketId))
    .all();
}

/**
 * The release that holds a ticket (frozen or published, or added by hand to a planned one), unless cancelled: a
 * ticket it holds is no other release's candidate.
 */
export function releaseHolding(db: DB, ticketId: number): Release | null {
  const row = db
    .select({ release: releases })
    .from(releaseItems)
    .innerJoin(releases, eq(releases.id, releaseItems.releaseId))
    .where(heldBy(ticketId))
    .get();
  return row?.release ?? null;
}

/** An item that holds its ticket: not taken out, of a release that is not cancelled. */
function heldBy(ticket: SQL | number) {
  return and(
    eq(releaseItems.ticketId, ticket),
    eq(releaseItems.excluded, false),
    ne(releases.state, 'cancelled'),
  );
}

/** Where a ticket stands, in the few columns the release train reads for each of thousands of tickets. */
export interface TicketPlace {
  readonly id: number;
  readonly status: TicketStatus;
  readonly deadline: Date | null;
  readonly enteredAt: Date;
}

/**
 * The tickets of a distribution still on their way to a release (not rejected, superseded or released) that no
 * release holds: the next planned release's candidates, once Ready. One query, whatever their number.
 */
export function freeTicketsOfDistribution(db: DB, distribution: string): TicketPlace[] {
  const held = db
    .select({ one: sql`1` })
    .from(releaseItems)
    .innerJoin(releases, eq(releases.id, releaseItems.releaseId))
    .where(heldBy(sql`${tickets.id}`));
  return db
    .select({
      id: tickets.id,
      status: tickets.status,
      deadline: tickets.deadline,
      enteredAt: tickets.enteredAt,
    })
    .from(tickets)
    .innerJoin(submissions, eq(submissions.id, tickets.submissionId))
    .where(
      and(
        eq(submissions.distribution, distribution),
        statusNotIn(tickets.status, OFF_THE_TRAIN),
        notExists(held),
      ),
    )
    .orderBy(asc(tickets.id))
    .all() as TicketPlace[];
}
