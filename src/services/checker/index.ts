/**
 * The delay check: every ticket whose limit has passed becomes Delayed with an automatic explanation, every
 * overdue injection is flagged, reminders and the daily digest are queued, and noisy batches are combined.
 * It reads only what is due (the (status, deadline) indexes, and partial indexes of what is still due a reminder) and is idempotent: a
 * second run at the same time finds nothing left to do.
 */
import { immediate } from '../../db/index.js';
import { appendHistory } from '../../db/repositories/audit.js';
import { enqueue, type NewOutboxRow } from '../../db/repositories/outbox.js';
import { listOverdueInjections, markInjectionOverdue } from '../../db/repositories/submissions.js';
import { listDueTickets } from '../../db/repositories/tickets.js';
import { formatSubmissionId } from '../../domain/ids.js';
import { formatInstant } from '../../domain/machine.js';
import { SYSTEM_ACTOR } from '../../domain/roles.js';
import type { TicketStatus } from '../../domain/ticket-machine.js';
import { md } from '../../mrkdwn.js';
import { Refused, type ServiceContext } from '../context.js';
import { combineNotices, outboxRowsFor, releaseTitle } from '../notices/index.js';
import { type FrozenRelease, freezeDueReleases } from '../releases.js';
import { loadSubmission } from '../submissions.js';
import { applyTicketEvent } from '../tickets.js';
import { queueDigest } from './digest.js';
import { queueReminders, type ReminderCounts } from './reminders.js';

export interface DelayedTicket {
  readonly ticketId: number;
  readonly from: TicketStatus;
  readonly deadline: Date;
  readonly explanation: string;
}

export interface OverdueInjection {
  readonly submissionId: number;
  readonly deadline: Date;
}

export interface DelayCheckResult extends ReminderCounts {
  readonly at: Date;
  readonly delayed: readonly DelayedTicket[];
  readonly overdueInjections: readonly OverdueInjection[];
  /** Releases whose cut-off came: frozen in this check, with the tickets that joined and slipped. */
  readonly frozenReleases: readonly FrozenRelease[];
  readonly digest: boolean;
  /** Notices queued (after combining). */
  readonly queued: number;
  readonly dryRun: boolean;
}

class DryRunRollback extends Error {
  constructor(readonly result: DelayCheckResult) {
    super('dry run');
  }
}

export function checkDelays(
  ctx: ServiceContext,
  at: Date = ctx.clock.now(),
  options: { readonly dryRun?: boolean } = {},
): DelayCheckResult {
  const dryRun = options.dryRun ?? false;
  try {
    return immediate(ctx.db, (tx) => {
      const pending: NewOutboxRow[] = [];
      const queue = (rows: readonly NewOutboxRow[]) => {
        pending.push(...rows);
      };

      // Tickets of one submission, and submissions of one product, share their lookups within this check.
      const loaded = new Map<number, ReturnType<typeof loadSubmission>>();
      const load: typeof loadSubmission = (db, id) => {
        let found = loaded.get(id);
        if (!found) {
          found = loadSubmission(db, id);
          loaded.set(id, found);
        }
        return found;
      };

      const delayed: DelayedTicket[] = [];
      for (const ticket of listDueTickets(tx, at)) {
        const outcome = applyTicketEvent(
          ctx,
          tx,
          ticket,
          { type: 'delay', expectedVersion: ticket.state.version },
          SYSTEM_ACTOR,
          at,
          { queue, load },
        );
        if (outcome instanceof Refused || outcome.repeated) continue;
        delayed.push({
          ticketId: ticket.id,
          from: ticket.state.status,
          deadline: ticket.state.deadline ?? at,
          explanation: outcome.ticket.state.delayExplanation ?? '',
        });
      }

      const overdueInjections: OverdueInjection[] = [];
      for (const overdue of listOverdueInjections(tx, at)) {
        const deadline = overdue.state.deadline ?? at;
        const { submission, product } = loadSubmission(tx, overdue.id);
        markInjectionOverdue(tx, submission.id, at);
        appendHistory(tx, {
          subjectType: 'submission',
          subjectId: submission.id,
          event: 'injection_overdue',
          fromStatus: submission.state.status,
          toStatus: submission.state.status,
          actor: SYSTEM_ACTOR.id,
          reason: `injection limit passed at ${formatInstant(deadline)}`,
          at,
        });
        queue(
          outboxRowsFor({
            changeKey: `${formatSubmissionId(submission.id)}:injection-due-${deadline.toISOString()}`,
            product,
            submission,
            notices: [{ audience: 'umd_channel', topic: 'injection_overdue' }],
            textOf: () =>
              md`${releaseTitle(product, submission)} (${formatSubmissionId(submission.id)}) is not injected yet: its limit of ${ctx.rules.injectionWorkingDays} working days passed at ${formatInstant(deadline)}.`,
          }),
        );
        overdueInjections.push({ submissionId: submission.id, deadline });
      }

      const frozenReleases = freezeDueReleases(ctx, tx, at, queue);
      const reminders = queueReminders(ctx, tx, at, queue);
      const digest = queueDigest(ctx, tx, at, queue);
      const queued = enqueue(tx, combineNotices(pending, at), at);

      const result: DelayCheckResult = {
        at,
        delayed,
        overdueInjections,
        frozenReleases,
        ...reminders,
        digest,
        queued,
        dryRun,
      };
      // A dry run does everything a real run does, then rolls it back: it reports exactly what a run would do.
      if (dryRun) throw new DryRunRollback(result);
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    throw error;
  }
}
