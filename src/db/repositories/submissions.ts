import { and, asc, desc, eq, gt, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type {
  SubmissionEventType,
  SubmissionState,
  SubmissionStatus,
} from '../../domain/submission-machine.js';
import type { DbOrTx } from '../index.js';
import { statusIn, statusNotIn } from '../literals.js';
import { connectionOf, prepared } from '../prepared.js';
import { rowReader } from '../rows.js';
import { DUE_REMINDER, submissions } from '../schema.js';
import { fromClockedState, toClockedState } from './process-state.js';

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
    state: toClockedState<SubmissionStatus, SubmissionEventType>(row),
  };
}

export type NewSubmission = Omit<Submission, 'id' | 'injectionOverdueAt'>;

export function insertSubmission(db: DbOrTx, submission: NewSubmission): Submission {
  // Raw SQL, prepared once: every /cmd-submit runs it, and drizzle rebuilds an insert on each call.
  const statement = prepared(db, 'submissions.insert', () =>
    connectionOf(db).prepare(
      `insert into submissions (product_id, version, release_notes, distribution, security, submitted_by, submitted_at,
         comment, platforms, packages_by_platform, status, state_version, entered_at, deadline, paused_ms, waiting_from,
         reason, last_changed_by, last_event, last_changed_at)
       values (@productId, @version, @releaseNotes, @distribution, @security, @submittedBy, @submittedAt, @comment,
         @platforms, @packagesByPlatform, @status, @stateVersion, @enteredAt, @deadline, @pausedMs, @waitingFrom,
         @reason, @lastChangedBy, @lastEvent, @lastChangedAt)`,
    ),
  );
  const state = fromClockedState(submission.state);
  const result = statement.run({
    productId: submission.productId,
    version: submission.version,
    releaseNotes: submission.releaseNotes,
    distribution: submission.distribution,
    security: submission.security ? 1 : 0,
    submittedBy: submission.submittedBy,
    submittedAt: submission.submittedAt.getTime(),
    comment: submission.comment,
    platforms: JSON.stringify(submission.platforms),
    packagesByPlatform: JSON.stringify(submission.packagesByPlatform),
    status: state.status,
    stateVersion: state.stateVersion,
    enteredAt: state.enteredAt.getTime(),
    deadline: state.deadline?.getTime() ?? null,
    pausedMs: state.pausedMs,
    waitingFrom: state.waitingFrom,
    reason: state.reason,
    lastChangedBy: state.lastChangedBy,
    lastEvent: state.lastEvent,
    lastChangedAt: state.lastChangedAt?.getTime() ?? null,
  });
  // The row is exactly what was written: no need to read it back.
  return { ...submission, id: Number(result.lastInsertRowid), injectionOverdueAt: null };
}

const submissionRows = rowReader(submissions);

export function findSubmission(db: DbOrTx, id: number): Submission | null {
  const row = submissionRows.one(submissionRows.statement(db, 'submissions.byId', 'id = ?').get(id));
  return row ? toSubmission(row) : null;
}

/**
 * Writes a new state, but only over the version it was computed from: a concurrent writer that got there
 * first makes this return false instead of silently overwriting its change.
 */
export function saveSubmissionState(
  db: DbOrTx,
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

export function markInjectionOverdue(db: DbOrTx, id: number, at: Date): void {
  db.update(submissions).set({ injectionOverdueAt: at }).where(eq(submissions.id, id)).run();
}

/** A submission of this product, distribution and version that is still going somewhere. */
export function findLiveDuplicate(
  db: DbOrTx,
  productId: number,
  distribution: string,
  version: string,
): Submission | null {
  const statement = prepared(db, 'submissions.liveDuplicate', () =>
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
export function listOverdueInjections(db: DbOrTx, at: Date): Submission[] {
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

export function listSubmissions(db: DbOrTx, filter: SubmissionFilter = {}): Submission[] {
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
export function listSubmissionsToWarn(db: DbOrTx, after: Date, upTo: Date): Submission[] {
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

export function markSubmissionWarned(db: DbOrTx, id: number, deadline: Date): void {
  db.update(submissions).set({ warnedForDeadline: deadline }).where(eq(submissions.id, id)).run();
}

export function listSubmissionsWaitingSince(db: DbOrTx, enteredBy: Date): Submission[] {
  const statement = submissionRows.statement(
    db,
    'submissions.waitingUnreminded',
    `${DUE_REMINDER.waitingForProvider} and entered_at <= ?`,
    'submissions_waiting_unreminded',
  );
  return submissionRows.all(statement.all(enteredBy.getTime())).map(toSubmission);
}

export function markSubmissionReminded(db: DbOrTx, id: number, enteredAt: Date): void {
  db.update(submissions).set({ remindedForWait: enteredAt }).where(eq(submissions.id, id)).run();
}
