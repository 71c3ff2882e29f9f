/** What every Slack listener gets: the use cases' context, who the staff are, the outbox, and a logger. */

import type { RespondFn } from '@slack/bolt';
import { isSlackUserId } from '../domain/ids.js';
import type { Refusal } from '../domain/machine.js';
import type { Logger } from '../logging.js';
import { joinMd, type MdValue, Mrkdwn, md, mention } from '../mrkdwn.js';
import type { Caller, ServiceContext } from '../services/context.js';
import { AppError, InvalidInputError, RefusedError } from '../services/errors.js';
import { clickReply } from './blocks/kit.js';
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

/**
 * How a listener answers the person who clicked: beside the message they clicked, seen only by them. A click
 * Slack sends without a reply address (from a modal or the Home tab) cannot be answered that way; and Slack not
 * taking the answer changes nothing done: both are logged, not thrown.
 */
export function clickReplier(
  deps: SlackDeps,
  respond: RespondFn | undefined,
): (text: MdValue) => Promise<void> {
  return async (text) => {
    if (!respond) {
      deps.logger.info('a click without a response_url: the clicker was not answered');
      return;
    }
    try {
      await respond(clickReply(text));
    } catch (error) {
      deps.logger.warn({ err: error }, 'Slack did not take the answer to a click');
    }
  };
}

export const STAFF_UNKNOWN_MESSAGE =
  'cmd-bot could not read the UMD staff user group from Slack yet, so it cannot tell whether you are staff. Try again in a minute.';

/** A sentence (or bullet list) for the person, whatever went wrong; unexpected errors are logged. */
export function userMessage(deps: SlackDeps, error: unknown, what: string): Mrkdwn {
  if (error instanceof InvalidInputError) {
    return error.problems.length === 1
      ? md`${error.problems[0]?.message ?? error.message}`
      : md`Please fix these:\n${joinMd(
          error.problems.map((p) => md`• ${p.message}`),
          '\n',
        )}`;
  }
  if (error instanceof RefusedError) return refusalText(error.refusal);
  if (error instanceof AppError) return md`${error.message}`;
  deps.logger.error({ err: error, what }, 'unexpected error in a Slack handler');
  return md`Something went wrong on our side and it was logged. Please try again, or tell the UMD team.`;
}

/**
 * A refusal as Slack shows it: its sentence escaped, and the people it names (who moved the item, a product's
 * contacts) as mentions rather than bare user ids.
 */
export function refusalText(refusal: Refusal<string, string>): Mrkdwn {
  const by = refusal.movedBy?.by;
  const people = new Set([...(refusal.people ?? []), ...(by ? [by] : [])].filter(isSlackUserId));
  if (people.size === 0) return Mrkdwn.escape(refusal.message);
  // User ids are [A-Z0-9] and survive escaping unchanged; each whole-word occurrence becomes a mention.
  const ids = new RegExp(`\\b(${[...people].join('|')})\\b`, 'g');
  return Mrkdwn.stored(Mrkdwn.escape(refusal.message).markup.replace(ids, (id) => mention(id).markup));
}
