/**
 * What `cmd-bot outbox` does: lists the notices still to send (or the dead ones) straight from the outbox
 * table, and re-queues one. The bot's worker polls the table, so a re-queued row goes out without a signal.
 */
import { immediate } from '../../db/index.js';
import {
  findOutboxRow,
  listDead,
  listPending,
  type OutboxRow,
  outboxCounts,
  requeue,
} from '../../db/repositories/outbox.js';
import type { OutboxOptions } from '../commands/outbox.js';
import { plural, table, utcTime } from '../format.js';
import { CliFailure, out, printJson, say } from '../io.js';
import { type Runtime, withRuntime } from '../runtime.js';

const iso = (at: Date | null): string | null => (at ? at.toISOString() : null);

/** One row as JSON: every column, times as ISO-8601 strings, the topic lifted out of the payload. */
export function outboxRowJson(row: OutboxRow) {
  return {
    id: row.id,
    key: row.key,
    recipientKind: row.recipientKind,
    recipient: row.recipient,
    submissionId: row.submissionId,
    topic: row.payload.topic,
    payload: row.payload,
    attempts: row.attempts,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastAttemptAt: iso(row.lastAttemptAt),
    sentAt: iso(row.sentAt),
    deadAt: iso(row.deadAt),
    lastError: row.lastError,
    createdAt: iso(row.createdAt),
  };
}

const recipientOf = (row: OutboxRow): string => `${row.recipientKind}:${row.recipient}`;

/** The first line of an error, cut to `max` characters. */
export function shorten(text: string | null, max = 60): string | null {
  if (!text) return text;
  const whole = text.trim();
  const line = (whole.split('\n')[0] ?? '').trim();
  if (line.length > max) return `${line.slice(0, max - 1).trimEnd()}…`;
  return line.length < whole.length ? `${line} …` : line;
}

/** `45s`, `12m`, `3h 5m`, `2d 4h`. */
export function age(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** Pending rows show when they are tried next and a shortened last error; dead ones when and the full error. */
function outboxTable(rows: readonly OutboxRow[], kind: 'pending' | 'dead'): string {
  const pending = kind === 'pending';
  return table(
    [
      'ID',
      'KEY',
      'RECIPIENT',
      'TOPIC',
      'ATTEMPTS',
      pending ? 'NEXT ATTEMPT (UTC)' : 'DEAD SINCE (UTC)',
      'LAST ERROR',
    ],
    rows.map((row) => [
      String(row.id),
      row.key,
      recipientOf(row),
      row.payload.topic,
      String(row.attempts),
      utcTime(pending ? row.nextAttemptAt : row.deadAt),
      pending ? shorten(row.lastError) : row.lastError,
    ]),
  );
}

function listPendingRows({ handle }: Runtime, json: boolean): void {
  const now = new Date();
  // One read transaction, so that the summary counts the rows the list shows.
  const { counts, rows } = immediate(handle.db, (tx) => {
    const counts = outboxCounts(tx);
    return { counts, rows: listPending(tx, Math.max(1, counts.pending)) };
  });
  if (json) printJson(rows.map(outboxRowJson));
  else if (rows.length > 0) out(outboxTable(rows, 'pending'));
  const oldest = counts.oldestPendingAt
    ? `, the oldest queued ${age(now.getTime() - counts.oldestPendingAt.getTime())} ago (${utcTime(counts.oldestPendingAt)})`
    : '';
  const deadHint = counts.dead > 0 ? ' (see cmd-bot outbox --dead)' : '';
  say(`Outbox: ${counts.pending} pending${oldest}; ${counts.dead} dead${deadHint}.`);
}

function listDeadRows({ handle }: Runtime, json: boolean): void {
  const rows = listDead(handle.db);
  if (json) printJson(rows.map(outboxRowJson));
  else if (rows.length > 0) out(outboxTable(rows, 'dead'));
  say(
    rows.length === 0
      ? 'Outbox: no dead notices.'
      : `Outbox: ${plural(rows.length, 'dead notice')}; send one again with cmd-bot outbox --retry ID.`,
  );
}

function retryRow({ handle }: Runtime, id: number, json: boolean): void {
  const now = new Date();
  const { before, after } = immediate(handle.db, (tx) => {
    const before = findOutboxRow(tx, id);
    if (!before) {
      throw new CliFailure(
        `There is no outbox row ${id}. Run cmd-bot outbox (or cmd-bot outbox --dead) to see the ids.`,
      );
    }
    if (before.sentAt) {
      throw new CliFailure(
        `Outbox row ${id} (${before.payload.topic} to ${recipientOf(before)}) was already sent at ` +
          `${utcTime(before.sentAt)}; there is nothing to retry.`,
      );
    }
    if (!requeue(tx, id, now)) throw new Error(`outbox row ${id} could not be re-queued`);
    return { before, after: findOutboxRow(tx, id) };
  });
  const was = before.deadAt
    ? `It was dead since ${utcTime(before.deadAt)} after ${plural(before.attempts, 'attempt')}`
    : `It was pending, ${plural(before.attempts, 'attempt')} so far, next attempt ${utcTime(before.nextAttemptAt)}`;
  const error = before.lastError ? ` (last error: ${shorten(before.lastError, 200)})` : '';
  say(
    `Re-queued outbox row ${id}: ${before.payload.topic} to ${recipientOf(before)} (key ${before.key}).\n` +
      `${was}${error}.\n` +
      'It is due at once with a fresh count of attempts: a running cmd-bot sends it at its next poll of the\n' +
      'outbox (every few seconds); if no bot is running, it goes out when one starts.',
  );
  if (json && after) printJson(outboxRowJson(after));
}

export async function runOutbox(options: OutboxOptions): Promise<void> {
  await withRuntime(
    (runtime) => {
      const json = options.json === true;
      if (options.retry !== undefined) retryRow(runtime, options.retry, json);
      else if (options.dead) listDeadRows(runtime, json);
      else listPendingRows(runtime, json);
    },
    { mustExist: true },
  );
}
