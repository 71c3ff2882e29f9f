/** What `cmd-bot check` does and prints. */
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import { TICKET_TABLE } from '../../domain/ticket-machine.js';
import { checkDelays, type DelayCheckResult } from '../../services/index.js';
import { AT_HELP, type CheckOptions } from '../commands/check.js';
import { bothTimes, indent, plural, table, utcTime } from '../format.js';
import { out, printJson, say, usageError } from '../io.js';
import { withRuntime } from '../runtime.js';

/** ISO-8601 date or date-time; without an offset it is read in `zone` (CMD_TIMEZONE). */
export function parseIsoTime(text: string, zone: string): Date | null {
  const parsed = DateTime.fromISO(text.trim(), { zone });
  return parsed.isValid ? parsed.toJSDate() : null;
}

export function checkJson(result: DelayCheckResult) {
  return {
    at: result.at.toISOString(),
    dryRun: result.dryRun,
    delayed: result.delayed.map((d) => ({
      ticket: formatTicketId(d.ticketId),
      from: d.from,
      deadline: d.deadline.toISOString(),
      explanation: d.explanation,
    })),
    overdueInjections: result.overdueInjections.map((o) => ({
      submission: formatSubmissionId(o.submissionId),
      deadline: o.deadline.toISOString(),
    })),
  };
}

export function checkText(result: DelayCheckResult, zone: string): string {
  const would = result.dryRun;
  const lines = [
    `Delay check at ${bothTimes(result.at, zone)}${would ? ' (dry run: nothing was written)' : ''}.`,
  ];
  if (result.delayed.length === 0 && result.overdueInjections.length === 0) {
    lines.push(would ? 'Nothing would change.' : 'Nothing to delay or flag.');
    return lines.join('\n');
  }
  if (result.delayed.length > 0) {
    lines.push(
      '',
      `${would ? 'Would delay' : 'Delayed'} ${plural(result.delayed.length, 'ticket')}:`,
      indent(
        table(
          ['TICKET', 'FROM', 'LIMIT PASSED (UTC)', 'EXPLANATION'],
          result.delayed.map((d) => [
            formatTicketId(d.ticketId),
            TICKET_TABLE[d.from].label,
            utcTime(d.deadline),
            d.explanation,
          ]),
        ),
      ),
    );
  }
  if (result.overdueInjections.length > 0) {
    lines.push(
      '',
      `${would ? 'Would flag' : 'Flagged'} ${plural(result.overdueInjections.length, 'overdue injection')}:`,
      indent(
        table(
          ['SUBMISSION', 'DUE (UTC)'],
          result.overdueInjections.map((o) => [formatSubmissionId(o.submissionId), utcTime(o.deadline)]),
        ),
      ),
    );
  }
  return lines.join('\n');
}

/** How far ahead of the clock `--at` may be before the check becomes a dry run: clocks of two hosts differ a bit. */
export const FUTURE_MARGIN_MS = 60_000;

export async function runCheck(options: CheckOptions, command: Command): Promise<void> {
  await withRuntime(({ ctx, timeZone }) => {
    const now = ctx.clock.now();
    let at = now;
    if (options.at !== undefined) {
      const parsed = parseIsoTime(options.at, timeZone);
      if (!parsed)
        usageError(command, `option '--at <ISO-TIME>' argument '${options.at}' is invalid. ${AT_HELP}`);
      at = parsed;
    }
    const future = at.getTime() - now.getTime() > FUTURE_MARGIN_MS;
    // A check in the future would write history dated then and queue notices that Slack gets now: only on purpose.
    const dryRun = (options.dryRun ?? false) || (future && !options.allowFuture);
    if (future && !options.dryRun && !options.allowFuture) {
      say(
        `--at ${bothTimes(at, timeZone)} is in the future, so this is a dry run: nothing is written. ` +
          'Add --allow-future to delay tickets and queue their notices as of that time.',
      );
    }
    const result = checkDelays(ctx, at, { dryRun });
    if (options.json) printJson(checkJson(result));
    else out(checkText(result, timeZone));
    const changed = result.delayed.length + result.overdueInjections.length;
    if (future && !dryRun) {
      say(
        `WARNING: --allow-future: ${plural(result.delayed.length, 'ticket')} delayed and ` +
          `${plural(result.overdueInjections.length, 'overdue injection')} flagged as of ` +
          `${bothTimes(at, timeZone)}, ${describeAhead(at.getTime() - now.getTime())} ahead of now. ` +
          'Their history is dated then, and their notices are queued for Slack now.',
      );
    } else if (changed > 0 && !result.dryRun) say('The notices are queued for the Slack app to send.');
  });
}

/** "3 days", "5 hours", "12 minutes": how far ahead, roughly. */
function describeAhead(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.round(hours / 24), 'day');
}
