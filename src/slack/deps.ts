/** What every Slack listener gets: the use cases' context, who the staff are, the outbox, and a logger. */

import type { Refusal } from '../domain/machine.js';
import type { Logger } from '../logging.js';
import type { Caller, ServiceContext } from '../services/context.js';
import { AppError, InvalidInputError, RefusedError } from '../services/errors.js';
import type { StaffDirectory } from './staff.js';

export interface SlackDeps {
  readonly ctx: ServiceContext;
  readonly staff: StaffDirectory;
  /** Wakes the outbox worker after a commit, so notices go out at once. */
  readonly outbox: { wake(): void };
  readonly logger: Logger;
}

export function callerFor(deps: SlackDeps, userId: string): Caller {
  return { userId, staff: deps.staff.check(userId) === 'staff' };
}

export const STAFF_UNKNOWN_MESSAGE =
  'cmd-bot could not read the UMD staff user group from Slack yet, so it cannot tell whether you are staff. Try again in a minute.';

/** A sentence (or bullet list) for the person, whatever went wrong; unexpected errors are logged. */
export function userMessage(deps: SlackDeps, error: unknown, what: string): string {
  if (error instanceof InvalidInputError) {
    return error.problems.length === 1
      ? (error.problems[0]?.message ?? error.message)
      : `Please fix these:\n${error.problems.map((p) => `• ${p.message}`).join('\n')}`;
  }
  if (error instanceof RefusedError) return refusalText(error.refusal);
  if (error instanceof AppError) return error.message;
  deps.logger.error({ err: error, what }, 'unexpected error in a Slack handler');
  return 'Something went wrong on our side and it was logged. Please try again, or tell the UMD team.';
}

/** A refusal as Slack shows it: the person who moved the item as a mention rather than a bare user id. */
export function refusalText(refusal: Refusal<string, string>): string {
  const by = refusal.movedBy?.by;
  if (!by || by === 'system') return refusal.message;
  return refusal.message.replace(`moved by ${by} `, `moved by <@${by}> `);
}
