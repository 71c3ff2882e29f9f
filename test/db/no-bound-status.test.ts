/**
 * Never bind a status (src/db/literals.ts): SQLite recompiles a prepared statement on every run when a value bound
 * in its WHERE clause could change which partial index applies, and several indexes here are partial on `status`.
 * So a status is written into the SQL as a literal (`statusIn`, `statusNotIn`), never compared with a placeholder.
 *
 * Two checks, because neither alone sees everything:
 * - At run time, every SQL text better-sqlite3 prepares is collected while the use cases run a release through
 *   every status on a real database, and then every export of every repository runs too (a new export fails the
 *   test until it is added below). No collected SQL may compare a `status` column with a placeholder.
 * - In the source, no drizzle comparison (`eq`, `ne`, `inArray`, `notInArray`, …) takes a `status` column, and no
 *   SQL text (a string or a `sql` template) compares `status` with a placeholder or an interpolated value: this
 *   covers branches the run does not take.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/index.js';
import * as audit from '../../src/db/repositories/audit.js';
import * as cards from '../../src/db/repositories/cards.js';
import * as digests from '../../src/db/repositories/digests.js';
import * as earlyAdopterReports from '../../src/db/repositories/early-adopter-reports.js';
import * as gauges from '../../src/db/repositories/gauges.js';
import * as leases from '../../src/db/repositories/leases.js';
import * as outbox from '../../src/db/repositories/outbox.js';
import * as processState from '../../src/db/repositories/process-state.js';
import * as products from '../../src/db/repositories/products.js';
import * as reads from '../../src/db/repositories/reads.js';
import * as releases from '../../src/db/repositories/releases.js';
import * as submissions from '../../src/db/repositories/submissions.js';
import * as tickets from '../../src/db/repositories/tickets.js';
import type { ProductCard } from '../../src/domain/product.js';
import { OPEN_SUBMISSION_STATUSES, SUBMISSION_STATUSES } from '../../src/domain/submission-machine.js';
import { OPEN_TICKET_STATUSES, TICKET_STATUSES } from '../../src/domain/ticket-machine.js';
import {
  AppError,
  cancelRelease,
  checkDelays,
  createRelease,
  explainDelay,
  exportAll,
  failVerification,
  getRelease,
  getStatus,
  importProducts,
  inject,
  latestOfProduct,
  listItems,
  markReady,
  passVerification,
  precheckMove,
  processReport,
  providerHome,
  publishRelease,
  recordEarlyAdopterReport,
  registerProduct,
  reject,
  reportableRelease,
  requestCardRefresh,
  resume,
  staffHome,
  startVerification,
  submit,
  supersede,
  updateProduct,
  waitForProvider,
} from '../../src/services/index.js';
import {
  ARC_CARD,
  ARC_RELEASE,
  CONTACT,
  openTestStore,
  STAFF,
  settleRows,
  type TestStore,
} from '../support/database.js';
import { QC_ALL_OK } from '../support/qc.js';

// ---------------------------------------------------------------------------------------------------------------
// What a bound status looks like in SQL
// ---------------------------------------------------------------------------------------------------------------

/** A placeholder as SQLite takes them: `?`, `?1`, `:name`, `@name`, `$name`. */
const PLACEHOLDER = String.raw`(?:\?\d*|[:@$][A-Za-z_]\w*)`;
/** A column named status, maybe quoted, maybe with its table (`"tickets"."status"`, `t.status`); not `to_status`. */
const STATUS = String.raw`(?:(?:"\w+"|\w+)\.)?(?:"status"|(?<![\w"])status(?![\w"]))`;
const COMPARISON = String.raw`(?:==?|<>|!=|<=?|>=?|\bis(?:\s+not)?\b|\b(?:not\s+)?(?:like|glob|between)\b)`;
const BOUND_STATUS = [
  new RegExp(`${STATUS}\\s*${COMPARISON}\\s*${PLACEHOLDER}`, 'gi'),
  new RegExp(`${PLACEHOLDER}\\s*${COMPARISON}\\s*${STATUS}`, 'gi'),
  // An `in` list with a placeholder anywhere in it, or a list bound whole (`in (select value from json_each(?))`).
  new RegExp(`${STATUS}\\s+(?:not\\s+)?in\\s*\\([^)]*${PLACEHOLDER}`, 'gi'),
];

/** The places where `text` compares a status column with a placeholder. */
function statusPlaceholders(text: string): string[] {
  return BOUND_STATUS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[0]));
}

/**
 * The places where a statement compares a status column with a bound value. What an UPDATE's `set` writes is
 * left out: writing a bound status is fine, only comparing with one changes which index applies.
 */
function boundStatuses(sql: string): string[] {
  return statusPlaceholders(sql.replace(/\bset\b[\s\S]*?(?=\bwhere\b|$)/gi, ' '));
}

describe('boundStatuses', () => {
  it('when SQL compares a status column with a placeholder, in any of the forms drizzle, rowReader and updater write, then it is found', () => {
    const bound = [
      'select * from "tickets" where "tickets"."status" = ?',
      'select * from "tickets" where ("tickets"."status" <> ? and "tickets"."id" = ?)',
      'select * from "tickets" where "tickets"."status" in (?, ?)',
      'select * from "submissions" where "submissions"."status" not in (?)',
      "select * from tickets where status in ('delayed', ?) and deadline <= ?",
      'select * from tickets where status = ?1',
      'update "tickets" set "assignee" = @set_assignee where "id" = @where_id and "status" = @where_status',
      'select * from tickets t where ? = t.status',
      'select count(*) from tickets where status in (select value from json_each(?))',
      'select * from tickets where status is :status',
    ];
    for (const sql of bound) expect(boundStatuses(sql), sql).not.toEqual([]);
  });

  it('when statuses are written in as literals, a status is only written (set, insert), or another column is bound, then nothing is found', () => {
    const fine = [
      `select * from "tickets" where "tickets"."status" in ('delayed', 'verification') and "tickets"."deadline" <= ?`,
      `select * from "submissions" where "submissions"."status" not in ('rejected') and "submissions"."id" = ?`,
      'update "tickets" set "status" = @set_status, "state_version" = @set_stateVersion where "id" = @where_id',
      'update "tickets" set "status" = ?, "entered_at" = ? where "tickets"."id" = ?',
      'insert into "tickets" ("submission_id", "status", "deadline") values (?, ?, ?)',
      'insert into "history" ("from_status", "to_status") values (?, ?)',
      'select * from "history" where "history"."to_status" = ?',
      `select * from tickets where status = 'staged_rollout' and entered_at <= ?`,
      'select "status", count(*) from "tickets" group by "tickets"."status"',
    ];
    for (const sql of fine) expect(boundStatuses(sql), sql).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// At run time: every statement prepared on a real database
// ---------------------------------------------------------------------------------------------------------------

const prepared = new Set<string>();
const originalPrepare = Database.prototype.prepare;
let store: TestStore;

beforeAll(() => {
  // drizzle, rowReader/preparedOn and updater/inserter all end here; each statement is prepared at least once per
  // connection, and this test's connection is new.
  Database.prototype.prepare = function prepare(this: Database.Database, source: string) {
    prepared.add(source);
    return originalPrepare.call(this, source);
  } as typeof originalPrepare;
  store = openTestStore({ start: '2027-03-01T09:00:00Z', env: { DIGEST_TIME: '10:00' } });
});

afterAll(() => {
  Database.prototype.prepare = originalPrepare;
  store?.cleanup();
});

const ADOPTER = { userId: 'UADOPTER1', staff: false };
const day = (date: string) => new Date(`${date}T09:00:00Z`);

/** The state version a ticket or submission is at, for the next move's expectedVersion. */
const ticketVersion = (id: number) => tickets.findTicket(store.handle.db, id)?.state.version ?? 0;
const submissionVersion = (id: number) => submissions.findSubmission(store.handle.db, id)?.state.version ?? 0;

/** The use cases, taking releases through every status of both machines, and the reads people look at. */
function runTheProcess(): void {
  const { ctx, clock } = store;
  const db = store.handle.db;
  registerProduct(ctx, ARC_CARD, STAFF);
  importProducts(ctx, [{ ...ARC_CARD, name: 'dCache', contacts: [CONTACT.userId] }], STAFF);
  updateProduct(ctx, 'ARC', { team: 'NorduGrid Collaboration' }, STAFF);

  // SUB-1 waits for its provider, resumes and is injected: TKT-1 goes through verification and staged rollout
  // (Delayed on the way) to Ready, TKT-2 fails verification and is Rejected.
  submit(ctx, ARC_RELEASE, CONTACT);
  expect(() => submit(ctx, ARC_RELEASE, CONTACT)).toThrow(AppError); // the live duplicate is found
  waitForProvider(ctx, { kind: 'submission', id: 1 }, { expectedVersion: 1, needed: 'the changelog' }, STAFF);
  resume(ctx, { kind: 'submission', id: 1 }, { expectedVersion: 2 }, STAFF);
  precheckMove(ctx, { kind: 'submission', id: 1 }, 'inject', submissionVersion(1), STAFF);
  inject(ctx, 1, { expectedVersion: submissionVersion(1) }, STAFF); // TKT-1 el9, TKT-2 el8

  clock.set(day('2027-03-02'));
  startVerification(ctx, 1, { expectedVersion: 1 }, STAFF);
  passVerification(
    ctx,
    1,
    { expectedVersion: 2, reportUrl: 'https://qc.example.org/1', qc: QC_ALL_OK },
    STAFF,
  );
  recordEarlyAdopterReport(
    ctx,
    {
      submissionId: 1,
      platform: 'el9/x86_64',
      site: 'SITE-A',
      outcome: 'works',
      installKind: 'upgrade',
      upgradedFrom: '6.20.0',
      tested: 'job submission',
    },
    ADOPTER,
  );
  recordEarlyAdopterReport(
    ctx,
    {
      submissionId: 1,
      platform: 'el9/x86_64',
      site: 'SITE-A',
      outcome: 'works',
      installKind: 'upgrade',
      upgradedFrom: '6.20.0',
      tested: 'job submission',
    },
    ADOPTER,
  );
  startVerification(ctx, 2, { expectedVersion: 1 }, STAFF);
  failVerification(ctx, 2, { expectedVersion: 2, reason: 'does not start' }, STAFF);

  // SUB-2 waits for its provider; SUB-3 is rejected; SUB-4, a later ARC, is injected: TKT-3 waits for its provider
  // and is then superseded, TKT-4 is Delayed in verification.
  submit(ctx, { ...ARC_RELEASE, product: 'dCache', version: '9.2.1' }, CONTACT);
  waitForProvider(ctx, { kind: 'submission', id: 2 }, { expectedVersion: 1, needed: 'packages' }, STAFF);
  submit(ctx, { ...ARC_RELEASE, product: 'dCache', version: '9.2.2' }, CONTACT);
  reject(ctx, { kind: 'submission', id: 3 }, { expectedVersion: 1, reason: 'duplicate' }, STAFF);
  submit(ctx, { ...ARC_RELEASE, version: '6.22.0' }, CONTACT);
  inject(ctx, 4, { expectedVersion: 1 }, STAFF); // TKT-3 el9, TKT-4 el8
  waitForProvider(ctx, { kind: 'ticket', id: 3 }, { expectedVersion: 1, needed: 'a rebuild' }, STAFF);
  startVerification(ctx, 4, { expectedVersion: 1 }, STAFF);

  // Delay checks over weeks: due tickets become Delayed, overdue injections, warnings, reminders, digests.
  for (const date of ['2027-03-05', '2027-03-08', '2027-03-10', '2027-03-20', '2027-04-10']) {
    clock.set(day(date));
    checkDelays(ctx, day(date), { dryRun: true });
    checkDelays(ctx, new Date(`${date}T10:30:00Z`));
  }
  explainDelay(
    ctx,
    4,
    { expectedVersion: ticketVersion(4), category: 'testbed_unavailable', text: 'no testbed' },
    STAFF,
  );
  explainDelay(
    ctx,
    1,
    { expectedVersion: ticketVersion(1), category: 'no_early_adopters', text: 'few reports' },
    STAFF,
  );
  markReady(ctx, 1, { expectedVersion: ticketVersion(1), reportUrl: 'https://sr.example.org/1' }, STAFF);
  // The release train: a security release freezes at once with TKT-1 and is published (TKT-1 Released); a later
  // one is planned, shown and cancelled.
  const today = clock.now().toISOString().slice(0, 10);
  createRelease(ctx, { name: 'UMD-5.0.1', date: today, security: true }, STAFF);
  createRelease(ctx, { name: 'UMD-5.2.0', date: '2099-01-15' }, STAFF);
  getRelease(ctx, 'UMD-5.2.0');
  checkDelays(ctx, clock.now());
  publishRelease(ctx, 'UMD-5.0.1', { notesUrl: 'https://docs.example.org/5.0.1' }, STAFF);
  cancelRelease(ctx, 'UMD-5.2.0', 'not needed', STAFF);
  resume(ctx, { kind: 'ticket', id: 3 }, { expectedVersion: ticketVersion(3) }, STAFF);
  supersede(ctx, 3, { expectedVersion: ticketVersion(3), supersededBy: 'SUB-9' }, STAFF);
  requestCardRefresh(ctx, { kind: 'ticket', id: 4 });

  // The outbox worker's bookkeeping, and what people read.
  const pending = outbox.listPending(db);
  settleRows(
    db,
    'sent',
    pending.slice(0, 3).map((row) => row.id),
    clock.now(),
  );
  settleRows(
    db,
    'attempted',
    pending.slice(3, 6).map((row) => row.id),
    clock.now(),
  );
  staffHome(ctx);
  providerHome(ctx, CONTACT.userId);
  for (const status of [...TICKET_STATUSES, ...SUBMISSION_STATUSES]) listItems(ctx, { status });
  listItems(ctx);
  listItems(ctx, { overdue: true, involving: CONTACT.userId });
  exportAll(ctx);
  processReport(ctx, { from: new Date('2027-03-01T00:00:00Z'), to: new Date('2027-05-01T00:00:00Z') });
  getStatus(ctx, { kind: 'ticket', id: 4 });
  latestOfProduct(ctx, 'ARC');
  reportableRelease(ctx, 4, ADOPTER.userId);
}

type Call = ((db: DB) => unknown) | 'no SQL';
/** Every export of a repository module: how to run it, or that it runs no SQL. */
type EveryExport<M> = { readonly [K in keyof M]: Call };

const T0 = new Date('2027-03-01T00:00:00Z');
const T1 = new Date('2027-06-01T00:00:00Z');

/** Each repository export, run with arguments that reach every statement it prepares. */
const REPOSITORIES = {
  audit: {
    appendHistory: (db) =>
      audit.appendHistory(db, {
        subjectType: 'ticket',
        subjectId: 1,
        event: 'x',
        toStatus: 'ready',
        actor: 'U',
        at: T1,
      }),
    historyOf: (db) => audit.historyOf(db, 'ticket', 1),
    allHistory: (db) => audit.allHistory(db),
    recordRefusal: (db) =>
      audit.recordRefusal(db, {
        subjectType: 'ticket',
        subjectId: 1,
        event: 'x',
        actor: 'U',
        kind: 'role',
        reason: 'no',
        at: T1,
      }),
    listRefusals: (db) => audit.listRefusals(db),
  } satisfies EveryExport<typeof audit>,
  cards: {
    findCard: (db) => cards.findCard(db, 1),
    cardChannels: (db) => cards.cardChannels(db, [1, 2]),
    saveCard: (db) => cards.saveCard(db, 1, 'C1', '1.1', T1),
    rememberedSite: (db) => cards.rememberedSite(db, ADOPTER.userId),
    rememberSite: (db) => cards.rememberSite(db, ADOPTER.userId, 'SITE-B', T1),
  } satisfies EveryExport<typeof cards>,
  digests: {
    claimDigest: (db) => digests.claimDigest(db, '2027-06-01', T1),
  } satisfies EveryExport<typeof digests>,
  gauges: {
    readProcessGauges: (db) => gauges.readProcessGauges(db, T1),
  } satisfies EveryExport<typeof gauges>,
  earlyAdopterReports: {
    insertEarlyAdopterReport: (db) =>
      earlyAdopterReports.insertEarlyAdopterReport(db, {
        ticketId: 4,
        platform: 'el8/x86_64',
        reporter: 'U2',
        site: 'SITE-C',
        outcome: 'works',
        at: T1,
        listedSite: false,
      }),
    findSameReport: (db) =>
      earlyAdopterReports.findSameReport(db, {
        ticketId: 4,
        reporter: 'U2',
        site: 'site-c',
        outcome: 'works',
      }),
    updateEarlyAdopterReport: (db) =>
      earlyAdopterReports.updateEarlyAdopterReport(db, 1, {
        site: 'SITE-A',
        details: null,
        installKind: 'new',
        upgradedFrom: null,
        tested: 'job submission',
        workaround: null,
        at: T1,
        listedSite: true,
      }),
    hasWorksReportOn: (db) => earlyAdopterReports.hasWorksReportOn(db, 1),
    countReport: (db) => earlyAdopterReports.countReport(db, 'U2', T1, 60_000),
    reportsOfSubmission: (db) => earlyAdopterReports.reportsOfSubmission(db, 1),
    allEarlyAdopterReports: (db) => earlyAdopterReports.allEarlyAdopterReports(db),
  } satisfies EveryExport<typeof earlyAdopterReports>,
  leases: {
    acquireLease: (db) => leases.acquireLease(db, 'checker', 'me', T1, 60_000),
    releaseLease: (db) => leases.releaseLease(db, 'checker', 'me'),
  } satisfies EveryExport<typeof leases>,
  outbox: {
    enqueue: (db) =>
      outbox.enqueue(
        db,
        [
          {
            key: 'no-bound-status',
            recipientKind: 'user',
            recipient: 'U1',
            submissionId: 1,
            payload: outbox.listOutbox(db)[0]?.payload as outbox.OutboxRow['payload'],
          },
        ],
        T1,
      ),
    listOutbox: (db) => outbox.listOutbox(db),
    findOutboxRow: (db) => outbox.findOutboxRow(db, 1),
    listPending: (db) => outbox.listPending(db, 10),
    markSent: (db) => outbox.markSent(db, [1], T1),
    markAttempt: (db) => outbox.markAttempt(db, [2], T1),
    markRetry: (db) => outbox.markRetry(db, [2], T1, 'rate limited', -1),
    markDead: (db) => outbox.markDead(db, [2], T1, 'gone'),
    outboxCounts: (db) => outbox.outboxCounts(db),
    listDead: (db) => outbox.listDead(db),
    requeue: (db) => outbox.requeue(db, 2, T1),
  } satisfies EveryExport<typeof outbox>,
  processState: {
    toClockedState: 'no SQL',
    fromClockedState: 'no SQL',
    PROCESS_COLUMNS: 'no SQL',
  } satisfies EveryExport<typeof processState>,
  products: {
    toProductCard: 'no SQL',
    productNameKey: 'no SQL',
    findProductByName: (db) => products.findProductByName(db, 'arc'),
    findProductById: (db) => products.findProductById(db, 1),
    listProducts: (db) => products.listProducts(db),
    insertProduct: (db) => {
      const { id: _, ...fields } = products.findProductById(db, 1) as ProductCard;
      return products.insertProduct(db, { ...fields, name: 'Other' }, T1);
    },
    updateProduct: (db) =>
      products.updateProduct(db, 1, products.findProductById(db, 1) as products.ProductFields, T1),
  } satisfies EveryExport<typeof products>,
  reads: {
    statusCounts: (db) => reads.statusCounts(db, T1),
    ticketGroup: (db) =>
      (['dueSoon', 'delayed', 'waiting'] as const).map((g) => reads.ticketGroup(db, g, 5, T0, T1)),
    openSubmissions: (db) => reads.openSubmissions(db, 5),
    submissionsOf: (db) => reads.submissionsOf(db, CONTACT.userId, 5),
    listRows: (db) => [
      reads.listRows(db, {
        submissionStatuses: OPEN_SUBMISSION_STATUSES,
        ticketStatuses: OPEN_TICKET_STATUSES,
      }),
      reads.listRows(db, {
        submissionStatuses: ['open'],
        ticketStatuses: ['delayed'],
        involving: CONTACT.userId,
        overdueAt: T1,
      }),
    ],
    reportHistory: (db) => reads.reportHistory(db, T1),
  } satisfies EveryExport<typeof reads>,
  submissions: {
    toSubmission: 'no SQL',
    insertSubmission: (db) => {
      const {
        id: _,
        injectionOverdueAt: _o,
        rolloutAnnouncedAt: _r,
        ...rest
      } = submissions.findSubmission(db, 2) as submissions.Submission;
      return submissions.insertSubmission(db, { ...rest, version: '9.9.9' });
    },
    findSubmission: (db) => submissions.findSubmission(db, 1),
    saveSubmissionState: (db) => {
      const current = submissions.findSubmission(db, 2) as submissions.Submission;
      return submissions.saveSubmissionState(db, 2, current.state.version, current.state, {
        injectionOverdueAt: null,
      });
    },
    markRolloutAnnounced: (db) => submissions.markRolloutAnnounced(db, 1, T1),
    markInjectionOverdue: (db) => submissions.markInjectionOverdue(db, 2, T1),
    findLiveDuplicate: (db) => submissions.findLiveDuplicate(db, 1, 'umd', '6.21.1'),
    listOverdueInjections: (db) => submissions.listOverdueInjections(db, T1),
    listSubmissions: (db) => [
      submissions.listSubmissions(db),
      submissions.listSubmissions(db, {
        statuses: ['open', 'waiting_for_provider'],
        productId: 1,
        submittedBy: 'U',
      }),
    ],
    listSubmissionsToWarn: (db) => submissions.listSubmissionsToWarn(db, T0, T1),
    markSubmissionWarned: (db) => submissions.markSubmissionWarned(db, 2, T1),
    listSubmissionsWaitingSince: (db) => submissions.listSubmissionsWaitingSince(db, T1),
    markSubmissionReminded: (db) => submissions.markSubmissionReminded(db, 2, T1),
  } satisfies EveryExport<typeof submissions>,
  tickets: {
    toTicket: 'no SQL',
    insertTicket: (db) => {
      const {
        id: _,
        announcedIn: _a,
        delayNoticeSentAt: _d,
        ...rest
      } = tickets.findTicket(db, 4) as tickets.Ticket;
      return tickets.insertTicket(db, { ...rest, platform: 'el10/x86_64' });
    },
    findTicket: (db) => tickets.findTicket(db, 1),
    listTicketsOfSubmission: (db) => tickets.listTicketsOfSubmission(db, 1),
    saveTicketState: (db) => {
      const current = tickets.findTicket(db, 4) as tickets.Ticket;
      return tickets.saveTicketState(db, 4, current.state.version, current.state);
    },
    saveQcResults: (db) =>
      tickets.saveQcResults(db, 4, [
        { id: 'QC_DOC_1', name: 'Release Notes', critical: true, result: 'ok', note: null },
      ]),
    markAnnouncedIn: (db) => tickets.markAnnouncedIn(db, 4, 'announcement'),
    setReadyWithoutWorksReport: (db) => tickets.setReadyWithoutWorksReport(db, 4, true),
    markDelayNoticeSent: (db) => tickets.markDelayNoticeSent(db, [4], T1),
    countDelayedTickets: (db) => tickets.countDelayedTickets(db, [1, 2, 3, 4]),
    listDueTickets: (db) => tickets.listDueTickets(db, T1),
    listTickets: (db) => [tickets.listTickets(db), tickets.listTickets(db, ['delayed', 'verification'])],
    listTicketsToWarn: (db) => tickets.listTicketsToWarn(db, T0, T1),
    markTicketWarned: (db) => tickets.markTicketWarned(db, 4, T1),
    listSilentStagedRollouts: (db) => tickets.listSilentStagedRollouts(db, T1),
    markSilenceWarned: (db) => tickets.markSilenceWarned(db, 4, T1),
    listTicketsWaitingSince: (db) => tickets.listTicketsWaitingSince(db, T1),
    markTicketReminded: (db) => tickets.markTicketReminded(db, 4, T1),
    listLiveTicketsOfProduct: (db) => tickets.listLiveTicketsOfProduct(db, 1, 'umd', 4),
  } satisfies EveryExport<typeof tickets>,
  releases: {
    insertRelease: (db) =>
      releases.insertRelease(db, {
        distribution: 'UMD-5',
        version: '5.9.0',
        releaseDate: '2099-09-01',
        cutoffAt: T1,
        state: 'planned',
        createdBy: 'U',
        createdAt: T0,
      }),
    findRelease: (db) => releases.findRelease(db, 'UMD-5', '5.9.0'),
    releasesOf: (db) => releases.releasesOf(db, 'UMD-5'),
    listReleases: (db) => releases.listReleases(db),
    releasesDueToFreeze: (db) => releases.releasesDueToFreeze(db, T1),
    changeReleaseState: (db) => releases.changeReleaseState(db, 1, 'frozen', 'published', T1),
    addReleaseItems: (db) =>
      releases.addReleaseItems(db, [{ releaseId: 1, ticketId: 4, addedBy: 'U', at: T1 }]),
    setReleaseItem: (db) =>
      releases.setReleaseItem(db, { releaseId: 1, ticketId: 4, addedBy: 'U', at: T1, excluded: true }),
    removeReleaseItem: (db) => releases.removeReleaseItem(db, 1, 4),
    setReleaseNotes: (db) =>
      releases.setReleaseNotes(db, 1, { description: 'd', installationNotes: null, knownIssues: null }),
    itemsOfRelease: (db) => releases.itemsOfRelease(db, 1),
    itemsTakenOut: (db) => releases.itemsTakenOut(db, 1),
    releaseHolding: (db) => releases.releaseHolding(db, 4),
    freeTicketsOfDistribution: (db) => releases.freeTicketsOfDistribution(db, 'UMD-5'),
  } satisfies EveryExport<typeof releases>,
};

const MODULES = {
  audit,
  cards,
  digests,
  earlyAdopterReports,
  gauges,
  leases,
  outbox,
  processState,
  products,
  reads,
  releases,
  submissions,
  tickets,
} as const;

describe('the SQL cmd-bot runs', () => {
  it('when every src/db/repositories module is checked, then each is listed here and every export of it has a call', () => {
    const here = fileURLToPath(new URL('../../src/db/repositories/', import.meta.url));
    const files = readdirSync(here)
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.replace(/\.ts$/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase()));

    expect(Object.keys(MODULES).sort()).toEqual(files.sort());
    for (const [name, module] of Object.entries(MODULES)) {
      expect(Object.keys(REPOSITORIES[name as keyof typeof MODULES]).sort(), name).toEqual(
        Object.keys(module).sort(),
      );
    }
  });

  it('when the use cases take releases through every status and every repository export runs, then no statement compares a status with a bound value', () => {
    runTheProcess();
    const reached = (subject: audit.SubjectType) =>
      new Set(
        audit
          .allHistory(store.handle.db)
          .filter((entry) => entry.subjectType === subject)
          .map((entry) => entry.toStatus),
      );
    expect([...reached('ticket')].sort()).toEqual([...TICKET_STATUSES].sort());
    expect([...reached('submission')].sort()).toEqual([...SUBMISSION_STATUSES].sort());
    for (const calls of Object.values(REPOSITORIES)) {
      for (const call of Object.values(calls)) if (call !== 'no SQL') call(store.handle.db);
    }

    const withStatus = [...prepared].filter((sql) => /status/i.test(sql));
    const offending = [...prepared].filter((sql) => boundStatuses(sql).length > 0);

    expect(offending).toEqual([]);
    // The spy saw the statements that matter: statuses written in, by statusIn and by hand.
    expect(withStatus.length).toBeGreaterThan(20);
    expect(withStatus.filter((sql) => /"tickets"\."status" in \('/.test(sql)).length).toBeGreaterThan(3);
    expect(withStatus.filter((sql) => /\bstatus in \('/.test(sql)).length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// In the source: the branches a run may not take
// ---------------------------------------------------------------------------------------------------------------

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** drizzle's comparisons, each of which binds its value: none may take a column named status. */
const DRIZZLE_COMPARISON =
  /\b(?:eq|ne|gt|gte|lt|lte|inArray|notInArray|like|notLike|ilike|notIlike|between|notBetween)\(\s*[\w.]+\.status\s*,/g;
/** drizzle's `sql` templates: what they interpolate is bound, unless it is a column or `sql.raw`. */
const SQL_TEMPLATE = /\bsql`((?:[^`\\]|\\.)*)`/g;
/** In a `sql` template, status compared with an interpolated value. */
const TEMPLATE_BINDING = new RegExp(
  String.raw`(?:\$\{\s*[\w.]+\.status\s*\}|${STATUS})\s*(?:${COMPARISON}|(?:not\s+)?in\s*\()\s*\$\{(?!\s*sql\.raw\()`,
  'gi',
);

/**
 * Where source code binds a status: drizzle comparisons, templates, and SQL written in strings. Comments are
 * left out (they may quote what not to write). SQL in a string that writes a bound status with `set status = ?`
 * is taken for a comparison too: write it with `updater` (src/db/statements.ts).
 */
function boundInSource(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  return [
    ...[...code.matchAll(DRIZZLE_COMPARISON)].map((match) => match[0]),
    ...[...code.matchAll(SQL_TEMPLATE)].flatMap(([, template]) =>
      [...(template ?? '').matchAll(TEMPLATE_BINDING)].map((match) => match[0]),
    ),
    ...statusPlaceholders(code),
  ];
}

/** Source text with `#{…}` for `${…}`, so that the examples need not be template strings. */
const interpolating = (text: string) => text.replaceAll('#{', '${');

describe('the SQL in the source', () => {
  it('when the scan is shown the ways a status could be bound, then it finds each', () => {
    const bound = [
      'and(eq(tickets.status, status), lte(tickets.deadline, at))',
      'ne(submissions.status, "rejected")',
      'inArray(tickets.status, [...statuses])',
      'notInArray( submissions.status , OPEN)',
      'sql`#{tickets.status} = #{status}`',
      'sql`#{submissions.status} not in (#{list})`',
      "ticketRows.statement(db, 'status = ? and deadline <= ?')",
      'sql`t.status in (#{sql.join(list)})`',
    ].map(interpolating);
    for (const text of bound) expect(boundInSource(text), text).not.toEqual([]);
    expect(boundInSource("statusIn(tickets.status, ['open'])")).toEqual([]);
    expect(boundInSource(interpolating('sql`#{column} in (#{sql.raw(literalList(statuses))})`'))).toEqual([]);
    expect(boundInSource('eq(tickets.submissionId, id)')).toEqual([]);
  });

  it('when src/ is scanned, then no file binds a status', () => {
    const found = sourceFiles(SRC).flatMap((path) =>
      boundInSource(readFileSync(path, 'utf8')).map((text) => `${relative(SRC, path)}: ${text}`),
    );

    expect(found).toEqual([]);
  });
});
