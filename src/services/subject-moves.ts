/**
 * Reject, wait for the provider and resume apply to a submission (before injection) or a ticket (after):
 * these take a `SUB-n` / `TKT-n` id and route to the right machine.
 */
import type { Submission } from '../db/repositories/submissions.js';
import type { Ticket } from '../db/repositories/tickets.js';
import type { SubjectId } from '../domain/ids.js';
import type { Caller, ServiceContext } from './context.js';
import { moveSubmission } from './submissions.js';
import { moveTicket } from './tickets.js';

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
