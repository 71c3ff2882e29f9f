import { and, asc, desc, eq, gt, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type {
  SubmissionEventType,
  SubmissionState,
  SubmissionStatus,
} from '../../domain/submission-machine.js';
import type { DB } from '../index.js';
import { statusIn, statusNotIn } from '../literals.js';
import { DUE_REMINDER, submissions } from '../schema.js';
import { cachedOn, inserter, rowReader } from '../statements.js';
import { fromClockedState, PROCESS_COLUMNS, toClockedState } from './process-state.js';

type Row = typeof submissions.$inferSelect;

export interface Submission {
  readonly id: number;
  readonly productId: number;
  readonly version: string;
  readonly releaseNotes: string;
  readonly distribution: string;
  readonly security: boolean;
  readonly submittedBy: string;
  readonly submittedAt: Date;
  readonly comment: string | null;
  readonly platforms: readonly string[];
  readonly packagesByPlatform: Readonly<Record<string, readonly string[]>>;
  readonly injectionOverdueAt: Date | null;
  /** When its staged-rollout announcement was first tried (see the notices' rules). */
  readonly rolloutAnnouncedAt: Date | null;
  /** The UMD5 descriptor it was submitted with, every field as read; null for a release typed in a form. */
  readonly descriptor: Readonly<Record<string, unknown>> | null;
  /** What the descriptor's reader warned about, shown to the submitter and on the card. */
  readonly descriptorWarnings: readonly string[];
  readonly state: SubmissionState;
}

export function toSubmission(row: Row): Submission {
  return {
    id: row.id,
    productId: row.productId,
    version: row.version,
    releaseNotes: row.releaseNotes,
    distribution: row.distribution,
    security: row.security,
    submittedBy: row.submittedBy,
    submittedAt: row.submittedAt,
    comment: row.comment,
    platforms: row.platforms,
    packagesByPlatform: row.packagesByPlatform,
    injectionOverdueAt: row.injectionOverdueAt,
    rolloutAnnouncedAt: row.rolloutAnnouncedAt,
    descriptor: row.descriptor,
    descriptorWarnings: row.descriptorWarnings,
    state: toClockedState<SubmissionStatus, SubmissionEventType>(row),
  };
}

export type NewSubmission = Omit<Submission, 'id' | 'injectionOverdueAt' | 'rolloutAnnouncedAt'>;

const insertSubmissionRow = inserter(submissions, [
  'productId',
  'version',
  'releaseNotes',
  'distribution',
  'security',
  'submittedBy',
  'submittedAt',
  'comment',
  'platforms',
  'packagesByPlatform',
  'descriptor',
  'descriptorWarnings',
  ...PROCESS_COLUMNS,
]);

export function insertSubmission(db: DB, submission: NewSubmission): Submission {
  // Prepared once (statements.ts): every /cmd-submit runs it.
  const { state, platforms, packagesByPlatform, descriptor, descriptorWarnings, ...fields } = submission;
  const result = insertSubmissionRow(db, {
    ...fields,
    descriptor: descriptor as Record<string, unknown> | null,
    descriptorWarnings: descriptorWarnings as string[],
    // Stored as JSON as they are: the readonly types only keep them from being changed here.
    platforms: platforms as string[],
    packagesByPlatform: packagesByPlatform as Record<string, string[]>,
    ...fromClockedState(state),
  });
  // The row is exactly what was written: no need to read it back.
  return {
    ...submission,
    id: Number(result.lastInsertRowid),
    injectionOverdueAt: null,
    rolloutAnnouncedAt: null,
  };
}

const submissionRows = rowReader(submissions);

export function findSubmission(db: DB, id: number): Submission | null {
  const row = submissionRows.one(submissionRows.statement(db, 'id = ?').get(id));
  return row ? toSubmission(row) : null;
}

/**
 * Writes a new state, but only over the version it was computed from: a concurrent writer that got there
 * first makes this return false instead of silently overwriting its change.
 */
export function saveSubmissionState(
  db: DB,
  id: number,
  fromVersion: number,
  state: SubmissionState,
  extra: { injectionOverdueAt?: Date | null } = {},
): boolean {
  const result = db
    .update(submissions)
    .set({ ...fromClockedState(state), ...extra })
    .where(and(eq(submissions.id, id), eq(submissions.stateVersion, fromVersion)))
    .run();
  return result.changes === 1;
}

/** The first try of its staged-rollout announcement; a later one leaves the time of the first. */
export function markRolloutAnnounced(db: DB, id: number, at: Date): void {
  db.update(submissions)
    .set({ rolloutAnnouncedAt: at })
    .where(and(eq(submissions.id, id), isNull(submissions.rolloutAnnouncedAt)))
    .run();
}

export function markInjectionOverdue(db: DB, id: number, at: Date): void {
  db.update(submissions).set({ injectionOverdueAt: at }).where(eq(submissions.id, id)).run();
}

/** A submission of this product, distribution and version that is still going somewhere. */
export function findLiveDuplicate(
  db: DB,
  productId: number,
  distribution: string,
  version: string,
): Submission | null {
  const statement = cachedOn(db, 'submissions.liveDuplicate', () =>
    db
      .select()
      .from(submissions)
      .where(
        and(
          eq(submissions.productId, sql.placeholder('productId')),
          eq(submissions.distribution, sql.placeholder('distribution')),
          eq(submissions.version, sql.placeholder('version')),
          statusNotIn(submissions.status, ['rejected']),
          // A solved submission whose tickets all ended as Rejected or Superseded may be submitted again.
          sql`(${submissions.status} != 'solved' or exists (select 1 from tickets t where t.submission_id = ${submissions.id} and t.status not in ('rejected', 'superseded')))`,
        ),
      )
      .orderBy(desc(submissions.id))
      .prepare(),
  );
  const row = statement.get({ productId, distribution, version });
  return row ? toSubmission(row) : null;
}

/** Open submissions whose injection limit has passed and that were not flagged for this deadline yet. */
export function listOverdueInjections(db: DB, at: Date): Submission[] {
  return db
    .select()
    .from(submissions)
    .where(
      and(
        statusIn(submissions.status, ['open']),
        lte(submissions.deadline, at),
        isNull(submissions.injectionOverdueAt),
      ),
    )
    .orderBy(asc(submissions.deadline))
    .all()
    .map(toSubmission);
}

export interface SubmissionFilter {
  readonly statuses?: readonly SubmissionStatus[];
  readonly productId?: number;
  readonly submittedBy?: string;
}

export function listSubmissions(db: DB, filter: SubmissionFilter = {}): Submission[] {
  const conditions = [
    filter.statuses ? statusIn(submissions.status, filter.statuses) : undefined,
    filter.productId !== undefined ? eq(submissions.productId, filter.productId) : undefined,
    filter.submittedBy !== undefined ? eq(submissions.submittedBy, filter.submittedBy) : undefined,
  ].filter((condition) => condition !== undefined);
  return db
    .select()
    .from(submissions)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(submissions.security), asc(submissions.id))
    .all()
    .map(toSubmission);
}

/** Open submissions due in (after, upTo] that were not warned about for that deadline. */
export function listSubmissionsToWarn(db: DB, after: Date, upTo: Date): Submission[] {
  return db
    .select()
    .from(submissions)
    .where(
      and(
        statusIn(submissions.status, ['open']),
        gt(submissions.deadline, after),
        lte(submissions.deadline, upTo),
        or(isNull(submissions.warnedForDeadline), ne(submissions.warnedForDeadline, submissions.deadline)),
      ),
    )
    .all()
    .map(toSubmission);
}

export function markSubmissionWarned(db: DB, id: number, deadline: Date): void {
  db.update(submissions).set({ warnedForDeadline: deadline }).where(eq(submissions.id, id)).run();
}

export function listSubmissionsWaitingSince(db: DB, enteredBy: Date): Submission[] {
  const statement = submissionRows.statement(
    db,
    `${DUE_REMINDER.waitingForProvider} and entered_at <= ?`,
    'submissions_waiting_unreminded',
  );
  return submissionRows.all(statement.all(enteredBy.getTime())).map(toSubmission);
}

export function markSubmissionReminded(db: DB, id: number, enteredAt: Date): void {
  db.update(submissions).set({ remindedForWait: enteredAt }).where(eq(submissions.id, id)).run();
}
