/**
 * Reject, wait for the provider and resume apply to a submission (before injection) or a ticket (after):
 * these take a `SUB-n` / `TKT-n` id and route to the right machine.
 */
import { randomUUID } from 'node:crypto';
import { immediate } from '../db/index.js';
import { recordRefusal } from '../db/repositories/audit.js';
import { enqueue } from '../db/repositories/outbox.js';
import { findSubmission, type Submission } from '../db/repositories/submissions.js';
import { findTicket, type Ticket } from '../db/repositories/tickets.js';
import { formatSubmissionId, type SubjectId } from '../domain/ids.js';
import type { Refusal } from '../domain/machine.js';
import type { SubmissionEvent, SubmissionEventType } from '../domain/submission-machine.js';
import type { TicketEvent, TicketEventType } from '../domain/ticket-machine.js';
import { Mrkdwn } from '../mrkdwn.js';
import { actorFor } from './actors.js';
import type { Caller, ServiceContext } from './context.js';
import { cardUpdate } from './notices/index.js';
import { inject, loadSubmission, moveSubmission } from './submissions.js';
import { loadTicket, moveTicket } from './tickets.js';

export type MovedSubject =
  | { readonly kind: 'submission'; readonly submission: Submission }
  | { readonly kind: 'ticket'; readonly ticket: Ticket; readonly repeated: boolean };

type Versioned = { readonly expectedVersion: number };

export function reject(
  ctx: ServiceContext,
  subject: SubjectId,
  args: Versioned & { readonly reason: string },
  caller: Caller,
): MovedSubject {
  return subject.kind === 'submission'
    ? { kind: 'submission', submission: moveSubmission(ctx, subject.id, { type: 'reject', ...args }, caller) }
    : { kind: 'ticket', ...moveTicket(ctx, subject.id, { type: 'reject', ...args }, caller) };
}

export function waitForProvider(
  ctx: ServiceContext,
  subject: SubjectId,
  args: Versioned & { readonly needed: string },
  caller: Caller,
): MovedSubject {
  return subject.kind === 'submission'
    ? {
        kind: 'submission',
        submission: moveSubmission(ctx, subject.id, { type: 'wait_for_provider', ...args }, caller),
      }
    : { kind: 'ticket', ...moveTicket(ctx, subject.id, { type: 'wait_for_provider', ...args }, caller) };
}

export function resume(
  ctx: ServiceContext,
  subject: SubjectId,
  args: Versioned,
  caller: Caller,
): MovedSubject {
  return subject.kind === 'submission'
    ? { kind: 'submission', submission: moveSubmission(ctx, subject.id, { type: 'resume', ...args }, caller) }
    : { kind: 'ticket', ...moveTicket(ctx, subject.id, { type: 'resume', ...args }, caller) };
}

/** Any staff move from a card, after its modal: the submission's machine or the ticket's, by id. */
export type AnyMove =
  | {
      readonly kind: 'submission';
      readonly event: SubmissionEvent;
      readonly platforms?: readonly string[];
      readonly assignee?: string | null;
    }
  | { readonly kind: 'ticket'; readonly event: TicketEvent };

export function performMove(ctx: ServiceContext, id: number, move: AnyMove, caller: Caller): void {
  if (move.kind === 'ticket') {
    moveTicket(ctx, id, move.event, caller);
  } else if (move.event.type === 'inject') {
    inject(
      ctx,
      id,
      {
        expectedVersion: move.event.expectedVersion,
        ...(move.platforms ? { platforms: move.platforms } : {}),
        assignee: move.assignee ?? null,
      },
      caller,
    );
  } else {
    moveSubmission(ctx, id, move.event, caller);
  }
}

export type Precheck =
  | { readonly outcome: 'ok'; readonly submissionId: number }
  | { readonly outcome: 'repeated'; readonly submissionId: number }
  | { readonly outcome: 'refused'; readonly submissionId: number; readonly refusal: Refusal<string, string> };

/**
 * Asked when a button is clicked, before its modal opens: would this person's move apply to the version the
 * card showed? A refusal (not staff, outdated card, move no longer allowed) is recorded and returned, so the
 * clicker hears it at once instead of after filling in a form. Missing reasons are the modal's job.
 */
export function precheckMove(
  ctx: ServiceContext,
  subject: SubjectId,
  eventType: string,
  version: number,
  caller: Caller,
): Precheck {
  return immediate(ctx.db, (tx) => {
    const now = ctx.clock.now();
    const ticket = subject.kind === 'ticket' ? loadTicket(tx, subject.id) : null;
    const submissionId = ticket ? ticket.submissionId : subject.id;
    const { submission, product } = loadSubmission(tx, submissionId);
    const actor = actorFor(caller, product);
    const result = ticket
      ? ctx.tickets.precheck(ticket.state, eventType as TicketEventType, version, actor)
      : ctx.submissions.precheck(submission.state, eventType as SubmissionEventType, version, actor);
    if (result.outcome === 'allowed') return { outcome: 'ok', submissionId };
    if (result.outcome === 'noop') return { outcome: 'repeated', submissionId };
    recordRefusal(tx, {
      subjectType: subject.kind,
      subjectId: subject.id,
      event: eventType,
      actor: caller.userId,
      kind: result.refusal.kind,
      reason: result.refusal.message,
      at: now,
    });
    return { outcome: 'refused', submissionId, refusal: result.refusal };
  });
}

/**
 * Queues a refresh of the card an item is on (after a click on an outdated one), with no thread reply; an item
 * that does not exist (any more) has no card to refresh.
 */
export function requestCardRefresh(ctx: ServiceContext, subject: SubjectId): void {
  const now = ctx.clock.now();
  const submissionId =
    subject.kind === 'submission' ? subject.id : (findTicket(ctx.db, subject.id)?.submissionId ?? null);
  const submission = submissionId === null ? null : findSubmission(ctx.db, submissionId);
  if (!submission) return;
  enqueue(
    ctx.db,
    [
      {
        ...cardUpdate(
          `refresh:${formatSubmissionId(submission.id)}:${now.getTime()}:${randomUUID()}`,
          submission,
          Mrkdwn.empty,
        ),
      },
    ],
    now,
  );
}
