/**
 * The database schema. drizzle-kit generates the SQL migrations in `drizzle/` from this file
 * (`npm run db:generate`); they are committed and applied at start-up.
 *
 * Times are stored as UTC milliseconds (`timestamp_ms`), lists as JSON text.
 */
import { sql } from 'drizzle-orm';
import { customType, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { INSTALL_KINDS } from '../domain/early-adopter-reports.js';
import type { QcResult } from '../domain/quality-criteria.js';
import { OPEN_SUBMISSION_STATUSES } from '../domain/submission-machine.js';
import { Mrkdwn } from '../mrkdwn.js';
import { statusIn } from './literals.js';

const instant = (name: string) => integer(name, { mode: 'timestamp_ms' });
const jsonList = (name: string) =>
  text(name, { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`);

/** The columns a clocked item (submission or ticket) keeps about its place in the process. */
const processState = {
  status: text('status').notNull(),
  /** Goes up by one with every change; buttons carry it so a stale click can be recognised. */
  stateVersion: integer('state_version').notNull().default(1),
  enteredAt: instant('entered_at').notNull(),
  deadline: instant('deadline'),
  pausedMs: integer('paused_ms').notNull().default(0),
  waitingFrom: text('waiting_from'),
  reason: text('reason'),
  lastChangedBy: text('last_changed_by'),
  lastEvent: text('last_event'),
  lastChangedAt: instant('last_changed_at'),
};

/** What the delay checker already said about the current clock, so that each reminder goes out once. */
const reminderState = {
  /** The deadline an early warning was sent for; a new deadline (after a pause) may be warned about again. */
  warnedForDeadline: instant('warned_for_deadline'),
  /** The start of the wait for which the provider was reminded. */
  remindedForWait: instant('reminded_for_wait'),
};

export const products = sqliteTable(
  'products',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** The name folded for comparison (see productNameKey): "ARC", "arc" and "Arc" are one card. */
    nameKey: text('name_key').notNull(),
    team: text('team'),
    supportEmail: text('support_email'),
    website: text('website'),
    teamLeader: text('team_leader'),
    description: text('description'),
    repositoryUrl: text('repository_url'),
    documentationLinks: jsonList('documentation_links'),
    /** Slack user ids of the product team's contacts: they may submit, and they hear about delays. */
    contacts: jsonList('contacts'),
    contactChannel: text('contact_channel'),
    earlyAdopterSites: jsonList('early_adopter_sites'),
    platforms: jsonList('platforms'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (table) => [uniqueIndex('products_name_key_unique').on(table.nameKey)],
);

/**
 * Items still due a reminder, as the partial indexes and the delay checker's queries both write them (each query
 * names its index): the thousands of items already reminded stay out of the minute check's way. Without them
 * the check read every one, 40 ms a minute with 100,000.
 */
export const DUE_REMINDER = {
  /** Staged rollouts whose early adopters' silence nobody was warned about yet. */
  earlyAdopterSilence:
    "status = 'staged_rollout' and (ea_silence_warned_for is null or ea_silence_warned_for <> entered_at)",
  /** Items waiting for their provider who were not reminded of this wait yet. */
  waitingForProvider:
    "status = 'waiting_for_provider' and (reminded_for_wait is null or reminded_for_wait <> entered_at)",
} as const;

export const submissions = sqliteTable(
  'submissions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    version: text('version').notNull(),
    releaseNotes: text('release_notes').notNull(),
    distribution: text('distribution').notNull(),
    security: integer('security', { mode: 'boolean' }).notNull().default(false),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: instant('submitted_at').notNull(),
    comment: text('comment'),
    platforms: jsonList('platforms'),
    packagesByPlatform: text('packages_by_platform', { mode: 'json' })
      .$type<Record<string, string[]>>()
      .notNull(),
    /** Set when the delay checker found the injection limit passed (cleared when the clock moves on). */
    injectionOverdueAt: instant('injection_overdue_at'),
    /**
     * When its staged-rollout announcement to early adopters was first tried: what it says is then fixed, so a
     * platform that reaches staged rollout later is announced in a message of its own.
     */
    rolloutAnnouncedAt: instant('rollout_announced_at'),
    /**
     * The UMD5 descriptor the release was submitted with, exactly as it was read (every field, unknown ones
     * too): `export descriptor` gives it back. Null for a release typed in a form.
     */
    descriptor: text('descriptor', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** What the descriptor's reader warned about (placeholders, contacts left out, versions that disagree). */
    descriptorWarnings: jsonList('descriptor_warnings'),
    ...processState,
    ...reminderState,
  },
  (table) => [
    index('submissions_status_deadline').on(table.status, table.deadline),
    index('submissions_product').on(table.productId, table.distribution, table.status),
    index('submissions_version').on(table.productId, table.distribution, table.version),
    // One open submission per product, distribution and version; the service gives the friendly message.
    uniqueIndex('submissions_open_version_unique')
      .on(table.productId, table.distribution, table.version)
      .where(statusIn(table.status, OPEN_SUBMISSION_STATUSES)),
    index('submissions_waiting_unreminded')
      .on(table.enteredAt)
      .where(sql.raw(DUE_REMINDER.waitingForProvider)),
  ],
);

export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    submissionId: integer('submission_id')
      .notNull()
      .references(() => submissions.id),
    platform: text('platform').notNull(),
    assignee: text('assignee'),
    packages: jsonList('packages'),
    createdAt: instant('created_at').notNull(),
    delayedFrom: text('delayed_from'),
    delayExplanation: text('delay_explanation'),
    verificationReportUrl: text('verification_report_url'),
    stagedRolloutReportUrl: text('staged_rollout_report_url'),
    /** The staged rollout (by its start) for which staff were told no early adopter has reported. */
    earlyAdopterSilenceWarnedFor: instant('ea_silence_warned_for'),
    /** Which message tells early adopters of this ticket's staged rollout: its submission's announcement, or its own. */
    announcedIn: text('announced_in', { enum: ['announcement', 'own_message'] }),
    /** When the product team's notice of a delay last went out (alone or in a combined message). */
    delayNoticeSentAt: instant('delay_notice_sent_at'),
    /**
     * The verifier's answer for each quality criterion (src/domain/quality-criteria.ts), with the criterion's name
     * and whether it was critical as they were then: a later criteria file does not rewrite a past verification.
     */
    qcResults: text('qc_results', { mode: 'json' }).$type<StoredQcResult[]>(),
    /** Marked Ready although no early-adopter site had reported "Installed, works" on its platform. */
    readyWithoutWorksReport: integer('ready_without_works_report', { mode: 'boolean' })
      .notNull()
      .default(false),
    ...processState,
    ...reminderState,
  },
  (table) => [
    index('tickets_status_deadline').on(table.status, table.deadline),
    uniqueIndex('tickets_submission_platform').on(table.submissionId, table.platform),
    index('tickets_silence_unwarned').on(table.enteredAt).where(sql.raw(DUE_REMINDER.earlyAdopterSilence)),
    index('tickets_waiting_unreminded').on(table.enteredAt).where(sql.raw(DUE_REMINDER.waitingForProvider)),
  ],
);

/** Append-only: one row per change of a product, submission or ticket. */
export const history = sqliteTable(
  'history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subjectType: text('subject_type', { enum: ['product', 'submission', 'ticket'] }).notNull(),
    subjectId: integer('subject_id').notNull(),
    event: text('event').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    actor: text('actor').notNull(),
    reason: text('reason'),
    at: instant('at').notNull(),
  },
  (table) => [index('history_subject').on(table.subjectType, table.subjectId, table.id)],
);

/** Attempts that were refused (wrong role, outdated view, wrong status, invalid input), for the audit. */
export const refusals = sqliteTable(
  'refusals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subjectType: text('subject_type', { enum: ['product', 'submission', 'ticket'] }).notNull(),
    subjectId: integer('subject_id'),
    event: text('event').notNull(),
    actor: text('actor').notNull(),
    kind: text('kind').notNull(),
    reason: text('reason').notNull(),
    at: instant('at').notNull(),
  },
  (table) => [index('refusals_at').on(table.at)],
);

/** Reports from early-adopter sites during staged rollout. */
export const earlyAdopterReports = sqliteTable(
  'early_adopter_reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    reporter: text('reporter').notNull(),
    site: text('site').notNull(),
    platform: text('platform').notNull(),
    outcome: text('outcome', { enum: ['works', 'problem'] }).notNull(),
    /** What happened (a problem), or the site's notes (works). */
    details: text('details'),
    /** A new installation, or an upgrade (from `upgradedFrom`); null in reports sent before the form asked. */
    installKind: text('install_kind', { enum: INSTALL_KINDS }),
    upgradedFrom: text('upgraded_from'),
    /** What the site tested. */
    tested: text('tested'),
    /** For a problem: how to work around it. A problem with a workaround is a known issue of the release. */
    workaround: text('workaround'),
    /** When it was last sent: a repeat of the same report updates it in place. */
    at: instant('at').notNull(),
    /** Whether the site was on the product's card (its candidate early adopters) when it reported. */
    listedSite: integer('listed_site', { mode: 'boolean' }).notNull().default(true),
  },
  (table) => [
    index('early_adopter_reports_ticket').on(table.ticketId),
    // One report counts per person, site (in any case), ticket and outcome: sending it again updates it.
    uniqueIndex('early_adopter_reports_one_per_site').on(
      table.ticketId,
      table.reporter,
      sql`lower(${table.site})`,
      table.outcome,
    ),
  ],
);

/**
 * How many early-adopter reports each person sent in the current minute: more than a few are refused, so that
 * one person (or a script) cannot flood the card's thread. One row per person, reused.
 */
export const reportRates = sqliteTable('report_rates', {
  userId: text('user_id').primaryKey(),
  windowStart: instant('window_start').notNull(),
  count: integer('count').notNull(),
});

/** Numbered distribution releases (UMD-5 5.1.0): the release train (src/domain/releases.ts). */
export const releases = sqliteTable(
  'releases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    distribution: text('distribution').notNull(),
    version: text('version').notNull(),
    /** The day it is published, YYYY-MM-DD in CMD_TIMEZONE. */
    releaseDate: text('release_date').notNull(),
    security: integer('security', { mode: 'boolean' }).notNull().default(false),
    /** When its contents freeze: RELEASE_CUTOFF before the release date, at the end of that day (or at once). */
    cutoffAt: instant('cutoff_at').notNull(),
    state: text('state', { enum: ['planned', 'frozen', 'published', 'cancelled'] }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull(),
    frozenAt: instant('frozen_at'),
    publishedAt: instant('published_at'),
    /** Where the published release's notes are (given when publishing). */
    notesUrl: text('notes_url'),
    /** Why it was cancelled. */
    cancelledReason: text('cancelled_reason'),
    /** What staff wrote in the release notes' form before publishing; null: drafted from the data. */
    description: text('description'),
    installationNotes: text('installation_notes'),
    knownIssues: text('known_issues'),
  },
  (table) => [
    uniqueIndex('releases_name_unique').on(table.distribution, table.version),
    index('releases_state_cutoff').on(table.state, table.cutoffAt),
  ],
);

/** The tickets a release holds: its candidates at the freeze, and those staff added by hand. */
export const releaseItems = sqliteTable(
  'release_items',
  {
    releaseId: integer('release_id')
      .notNull()
      .references(() => releases.id),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** `freeze`: a candidate when the contents froze; otherwise the staff member who added or took it out. */
    addedBy: text('added_by').notNull(),
    reason: text('reason'),
    at: instant('at').notNull(),
    /**
     * Taken out by hand before the freeze: the ticket is not this release's candidate even when Ready, and slips
     * at its freeze. Kept (not deleted) so that the freeze can tell the product team why.
     */
    excluded: integer('excluded', { mode: 'boolean' }).notNull().default(false),
  },
  (table) => [
    uniqueIndex('release_items_unique').on(table.releaseId, table.ticketId),
    index('release_items_ticket').on(table.ticketId),
  ],
);

/** One quality criterion's result in a verification, as stored on the ticket (the domain's QcResult). */
export type StoredQcResult = QcResult;

export const RECIPIENT_KINDS = ['channel', 'user', 'team_channel', 'card'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

/**
 * A queued notice as JSON. Its text is stored as markup, marked `"format": "mrkdwn"`; a row queued by a cmd-bot
 * older than that holds plain text, which is escaped whole when read (its own mentions then show as text: a
 * few rows at an upgrade, better than one person's `<!channel>` going live).
 */
export function storedPayload(payload: OutboxPayload): string {
  // Object.assign, not a spread followed by a new property: that is slow in Node 20 (docs/performance.md).
  return JSON.stringify(Object.assign({}, payload, { format: 'mrkdwn' }));
}

function readPayload(stored: Record<string, unknown>): OutboxPayload {
  const text = typeof stored.text === 'string' ? stored.text : '';
  const parts = Array.isArray(stored.parts) ? stored.parts.map(readPayload) : undefined;
  const { format, ...rest } = stored;
  return {
    ...(rest as Omit<OutboxPayload, 'text' | 'parts'>),
    text: format === 'mrkdwn' ? Mrkdwn.stored(text) : Mrkdwn.escape(text),
    ...(parts ? { parts } : {}),
  };
}

const noticePayload = customType<{ data: OutboxPayload; driverData: string }>({
  dataType: () => 'text',
  toDriver: storedPayload,
  fromDriver: (value) => readPayload(JSON.parse(value) as Record<string, unknown>),
});

/**
 * Notices to send, written in the same transaction as the change that caused them. `key` is unique, so the
 * same notice can never be queued twice.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull().unique(),
    /**
     * `channel` and `user` name a Slack id; `team_channel` names `umd` or `early_adopters`, resolved from the
     * configuration when sent; `card` is the living card of submission `recipient`.
     */
    recipientKind: text('recipient_kind', { enum: RECIPIENT_KINDS }).notNull(),
    recipient: text('recipient').notNull(),
    submissionId: integer('submission_id'),
    payload: noticePayload('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    lastAttemptAt: instant('last_attempt_at'),
    sentAt: instant('sent_at'),
    deadAt: instant('dead_at'),
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull(),
  },
  (table) => [
    // The rowid (id) ends every index entry, so the unsent rows come out of this one already in id order (the
    // worker reads them so, every pass, however long a Slack outage made the queue) and the health check counts
    // pending and dead rows without reading the sent ones, which only grow.
    index('outbox_pending').on(table.sentAt, table.deadAt),
  ],
);

export interface OutboxPayload {
  /** What happened, e.g. `delayed` or `injected`; the Slack layer picks its layout from it. */
  readonly topic: string;
  /** The notification, complete on its own, in Slack markup with people's words escaped (src/mrkdwn.ts). */
  readonly text: Mrkdwn;
  readonly submissionId?: number;
  readonly ticketIds?: readonly number[];
  /** A combined message: the first notices it stands for (those it lists), and how many it stands for. */
  readonly parts?: readonly OutboxPayload[];
  readonly total?: number;
  /** A combined message: the tickets of the delay notices it counts but does not list (re-counted when sent). */
  readonly unlistedDelayed?: readonly number[];
  /** A release's freeze message: the release (`UMD-5.1.0`), whose Publish button it carries while still frozen. */
  readonly release?: string;
}

/** Where each submission's living card was posted in the UMD channel, so later changes edit it in place. */
export const cards = sqliteTable('cards', {
  submissionId: integer('submission_id')
    .primaryKey()
    .references(() => submissions.id),
  channel: text('channel').notNull(),
  ts: text('ts').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/** The early-adopter site a person reported for last time, offered first next time. */
export const reporterSites = sqliteTable('reporter_sites', {
  userId: text('user_id').primaryKey(),
  site: text('site').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/**
 * Which process runs the delay check and the outbox worker. Two bots on one database would otherwise both
 * send; the holder renews its lease, and another takes over only after it expires.
 */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: instant('expires_at').notNull(),
});

/** The last time the daily digest went out, by local date, so that it goes out once a day. */
export const digests = sqliteTable('digests', {
  day: text('day').primaryKey(),
  sentAt: instant('sent_at').notNull(),
});

/**
 * Always empty. The write probe (start-up and /healthz, see usable.ts) inserts a row here in a transaction it
 * rolls back, to learn whether a write would succeed now; a table of its own keeps that away from real data.
 */
export const writeProbe = sqliteTable('write_probe', {
  id: integer('id').primaryKey(),
});
