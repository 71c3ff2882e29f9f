/** Use cases that move a tracking ticket; each is one transition of the ticket table. */

import type { DB } from '../db/index.js';
import { appendHistory, recordRefusal } from '../db/repositories/audit.js';
import { hasWorksReportOn } from '../db/repositories/early-adopter-reports.js';
import { enqueue, type NewOutboxRow } from '../db/repositories/outbox.js';
import {
  findTicket,
  saveQcResults,
  saveTicketState,
  setReadyWithoutWorksReport,
  type Ticket,
} from '../db/repositories/tickets.js';
import { formatTicketId } from '../domain/ids.js';
import {
  type QcAnswer,
  type QcCriterion,
  type QcResult,
  qcFailedResults,
  qcResultsOf,
} from '../domain/quality-criteria.js';
import type { Actor } from '../domain/roles.js';
import {
  TICKET_EVENT_LABELS,
  TICKET_TABLE,
  type TicketEvent,
  type TicketState,
} from '../domain/ticket-machine.js';
import { md, mention } from '../mrkdwn.js';
import { actorFor } from './actors.js';
import { type Caller, Refused, type ServiceContext, transact } from './context.js';
import { ConflictError, NotFoundError } from './errors.js';
import {
  cardUpdate,
  holdOf,
  missingContactWarning,
  noticesOfTicketMove,
  outboxRowsFor,
  releaseTitle,
  ticketChangeKey,
  ticketNoticeText,
  ticketTitle,
} from './notices/index.js';
import { releaseAhead } from './releases.js';
import { loadSubmission } from './submissions.js';

export interface MoveOutcome {
  readonly ticket: Ticket;
  /** True when the same person repeated a move already applied (a double click): nothing changed. */
  readonly repeated: boolean;
}

function reasonOf(event: TicketEvent, state: TicketState): string | null {
  switch (event.type) {
    case 'explain_delay':
    case 'delay':
      return state.delayExplanation;
    case 'pass_verification':
      return state.verificationReportUrl;
    case 'mark_ready':
      return state.stagedRolloutReportUrl;
    default:
      return state.reason;
  }
}

/** What the history of a ticket marked Ready with no site saying it works adds to the move's reason. */
const noWorksReport = (platform: string) =>
  `No early-adopter site reported "Installed, works" on ${platform}`;

/** What a verification move records of the quality criteria (null: the move records none). */
function qcResultsOfEvent(criteria: readonly QcCriterion[], event: TicketEvent): QcResult[] | null {
  switch (event.type) {
    case 'pass_verification':
      return qcResultsOf(criteria, event.qc);
    case 'fail_verification':
      return qcFailedResults(criteria, event.failedCriteria ?? []).results;
    default:
      return null;
  }
}

/**
 * Applies one event to one ticket inside a transaction: the new state, its history row, its notices and the
 * card refresh. Shared by the staff's moves and the delay checker.
 */
export function applyTicketEvent(
  ctx: ServiceContext,
  tx: DB,
  ticket: Ticket,
  event: TicketEvent,
  actor: Actor,
  now: Date,
  options: {
    readonly queue?: (rows: readonly NewOutboxRow[]) => void;
    /** A lookup shared by many events in one transaction (the delay check), instead of a query each. */
    readonly load?: typeof loadSubmission;
  } = {},
): MoveOutcome | Refused {
  const { submission, product } = (options.load ?? loadSubmission)(tx, ticket.submissionId);
  const result = ctx.tickets.transition(ticket.state, event, actor, now);
  if (result.outcome === 'refused') {
    recordRefusal(tx, {
      subjectType: 'ticket',
      subjectId: ticket.id,
      event: event.type,
      actor: actor.id,
      kind: result.refusal.kind,
      reason: result.refusal.message,
      at: now,
    });
    return new Refused(result.refusal);
  }
  if (result.outcome === 'noop') return { ticket, repeated: true };
  if (!saveTicketState(tx, ticket.id, ticket.state.version, result.state)) {
    throw new ConflictError(`${formatTicketId(ticket.id)} changed at the same time; try again.`);
  }
  // Decided here, when it is marked Ready, whatever the form showed when it was opened.
  const withoutWorks = event.type === 'mark_ready' && !hasWorksReportOn(tx, ticket.id);
  if (event.type === 'mark_ready') setReadyWithoutWorksReport(tx, ticket.id, withoutWorks);
  const qcResults = qcResultsOfEvent(ctx.qcCriteria, event);
  if (qcResults) saveQcResults(tx, ticket.id, qcResults);
  const reason =
    [reasonOf(event, result.state), withoutWorks ? noWorksReport(ticket.platform) : null]
      .filter((part) => part !== null)
      .join(' · ') || null;
  appendHistory(tx, {
    subjectType: 'ticket',
    subjectId: ticket.id,
    event: event.type,
    fromStatus: result.from,
    toStatus: result.state.status,
    actor: actor.id,
    reason,
    at: now,
  });

  // Object.assign, not a spread followed by new properties: that is slow in Node 20 (docs/performance.md).
  const moved: Ticket = Object.assign({}, ticket, {
    state: result.state,
    qcResults: qcResults ?? ticket.qcResults,
    readyWithoutWorksReport: event.type === 'mark_ready' ? withoutWorks : ticket.readyWithoutWorksReport,
  });
  const title = ticketTitle(product, submission, moved);
  const changeKey = ticketChangeKey(ticket, result.state.version);
  const line = md`${mention(actor.id)}: ${TICKET_EVENT_LABELS[event.type]} on ${formatTicketId(ticket.id)} (${ticket.platform}), now ${TICKET_TABLE[result.state.status].label}${reason ? `. ${reason}` : '.'}`;
  const notices = noticesOfTicketMove(tx, submission, ticket, event.type, result.notices);
  const ahead =
    event.type === 'mark_ready' ? releaseAhead(ctx, tx, submission.distribution, ticket.id, now) : null;
  const rows = [
    cardUpdate(changeKey, submission, line),
    ...outboxRowsFor({
      changeKey,
      product,
      submission,
      ticketIds: [ticket.id],
      notices,
      textOf: (topic) =>
        ticketNoticeText(
          topic,
          topic === 'early_adopter_announcement' ? releaseTitle(product, submission) : title,
          result.state,
          moved.qcResults,
          ahead,
        ),
      notBefore: (notice) => holdOf(notice, event.type, ctx.policy.delayNoticeHoldMs, now),
    }),
    ...(event.type === 'delay' ? missingContactWarning(product, submission, ticket) : []),
  ];
  if (options.queue) options.queue(rows);
  else enqueue(tx, rows, now);
  return { ticket: moved, repeated: false };
}

export function loadTicket(tx: DB, id: number): Ticket {
  const ticket = findTicket(tx, id);
  if (!ticket) throw new NotFoundError(`There is no ticket ${formatTicketId(id)}.`);
  return ticket;
}

/** Any staff move on a ticket. The named use cases below are this with their event. */
export function moveTicket(
  ctx: ServiceContext,
  ticketId: number,
  event: TicketEvent,
  caller: Caller,
): MoveOutcome {
  return transact(ctx, (tx, now) => {
    const ticket = loadTicket(tx, ticketId);
    const loaded = loadSubmission(tx, ticket.submissionId);
    return applyTicketEvent(ctx, tx, ticket, event, actorFor(caller, loaded.product), now, {
      load: () => loaded,
    });
  });
}

type Versioned = { readonly expectedVersion: number };

export const startVerification = (ctx: ServiceContext, id: number, args: Versioned, caller: Caller) =>
  moveTicket(ctx, id, { type: 'start_verification', ...args }, caller);
export const passVerification = (
  ctx: ServiceContext,
  id: number,
  args: Versioned & { readonly reportUrl: string; readonly qc: readonly QcAnswer[] },
  caller: Caller,
) => moveTicket(ctx, id, { type: 'pass_verification', ...args }, caller);
export const failVerification = (
  ctx: ServiceContext,
  id: number,
  args: Versioned & {
    readonly reason: string;
    readonly reportUrl?: string;
    readonly failedCriteria?: readonly string[];
  },
  caller: Caller,
) => moveTicket(ctx, id, { type: 'fail_verification', ...args }, caller);
export const markReady = (
  ctx: ServiceContext,
  id: number,
  args: Versioned & { readonly reportUrl?: string },
  caller: Caller,
) => moveTicket(ctx, id, { type: 'mark_ready', ...args }, caller);
export const supersede = (
  ctx: ServiceContext,
  id: number,
  args: Versioned & { readonly supersededBy?: string; readonly reason?: string },
  caller: Caller,
) => moveTicket(ctx, id, { type: 'supersede', ...args }, caller);
export const explainDelay = (
  ctx: ServiceContext,
  id: number,
  args: Versioned & Pick<Extract<TicketEvent, { type: 'explain_delay' }>, 'category' | 'text'>,
  caller: Caller,
) => moveTicket(ctx, id, { type: 'explain_delay', ...args }, caller);
