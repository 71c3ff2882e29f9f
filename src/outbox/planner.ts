/**
 * What one pass of the outbox worker sends now, decided from data alone: the pending rows, the time, and how
 * long ago each channel last answered a post. It reads no database, no Slack and no clock; the worker passes
 * all of that in and carries the plan out (worker.ts).
 *
 * - Each submission's messages go in order: a row waiting for its retry holds back the later rows of its
 *   submission, and so does a row left for pacing. A notice held on purpose (a delay notice during its hold)
 *   has no attempts yet and holds back nothing.
 * - The card rows of a submission, up to its next other message, go as one batch: one edit of the card and one
 *   thread reply listing them.
 * - About one message a second per channel (Slack's limit): a row waits while its channel was posted to less
 *   than `paceMs` ago, or is posted to earlier in this plan; `paceWaitMs` says when the first of them may go.
 */
import type { OutboxRow } from '../db/repositories/outbox.js';

export interface PassInput {
  /** The pending rows, oldest first. */
  readonly rows: readonly OutboxRow[];
  /** A row is due once its next attempt is at or before this instant. */
  readonly now: Date;
  /** Milliseconds since the channel last answered a post; undefined when it has not since start-up. */
  readonly sinceLastPost: (channel: string) => number | undefined;
  /** The least time between two posts to one channel; 0 turns pacing off. */
  readonly paceMs: number;
  /** The channel of each posted card, by submission id (for pacing); a card not posted yet goes to `umd`. */
  readonly cardChannels: ReadonlyMap<number, string>;
  /** The channel ids behind the `team_channel` recipients (`umd`, `early_adopters`). */
  readonly teamChannels: Readonly<Record<string, string | undefined>>;
}

/** One send: a single notice, or a submission's card rows in order. */
export type Batch = readonly [OutboxRow, ...OutboxRow[]];

export interface Plan {
  /** What to send now, in this order. */
  readonly sends: readonly Batch[];
  /** Milliseconds until the first row left for pacing may go; null when none was. */
  readonly paceWaitMs: number | null;
}

export function planPass(input: PassInput): Plan {
  const { rows, now, paceMs } = input;
  const bySubmission = new Map<number, OutboxRow[]>();
  for (const row of rows) {
    if (row.submissionId === null) continue;
    const list = bySubmission.get(row.submissionId);
    if (list) list.push(row);
    else bySubmission.set(row.submissionId, [row]);
  }
  const held = new Set<number>(); // submissions whose later rows must wait
  const planned = new Set<number>(); // rows already in a batch
  const postedTo = new Set<string>(); // channels this plan posts to
  const sends: Batch[] = [];
  let paceWaitMs: number | null = null;

  const paceWait = (channel: string | undefined): number => {
    if (paceMs === 0 || channel === undefined) return 0;
    if (postedTo.has(channel)) return paceMs; // counted from Slack's answer, which is yet to come
    const since = input.sinceLastPost(channel);
    return since === undefined ? 0 : Math.max(0, paceMs - since);
  };

  for (const row of rows) {
    const submission = row.submissionId;
    if (planned.has(row.id) || (submission !== null && held.has(submission))) continue;
    if (row.nextAttemptAt > now) {
      // Failed and waiting for its retry: nothing later of its submission may overtake it. Held on purpose: go on.
      if (submission !== null && row.attempts > 0) held.add(submission);
      continue;
    }
    const channel = channelOf(row, input);
    const wait = paceWait(channel);
    if (wait > 0) {
      if (submission !== null) held.add(submission);
      paceWaitMs = Math.min(paceWaitMs ?? wait, wait);
      continue;
    }
    const batch: Batch =
      row.recipientKind === 'card' && submission !== null
        ? cardBatch(row, bySubmission.get(submission) ?? [], planned)
        : [row];
    for (const member of batch) planned.add(member.id);
    sends.push(batch);
    if (channel !== undefined && posts(batch, input.cardChannels)) postedTo.add(channel);
  }
  return { sends, paceWaitMs };
}

/** The channel a row is posted to; undefined for a team channel that is not configured (it fails when sent). */
function channelOf(row: OutboxRow, input: PassInput): string | undefined {
  switch (row.recipientKind) {
    case 'card':
      return input.cardChannels.get(Number(row.recipient)) ?? input.teamChannels.umd;
    case 'team_channel':
      return input.teamChannels[row.recipient];
    case 'channel':
    case 'user':
      return row.recipient;
    default: {
      const unknown: never = row.recipientKind;
      throw new Error(`unknown recipient kind ${String(unknown)}`);
    }
  }
}

/**
 * Whether a batch posts a message, and so takes its channel's turn. A card edit does not: Slack's limit is on
 * posts, so a card that is posted already and whose rows have nothing to say in its thread leaves it free.
 */
function posts(batch: Batch, cardChannels: ReadonlyMap<number, string>): boolean {
  const [first] = batch;
  if (first.recipientKind !== 'card') return true;
  return !cardChannels.has(Number(first.recipient)) || batch.some((row) => !row.payload.text.isEmpty());
}

/** The card rows of one submission that go out as one edit: from `first` up to its next other message. */
function cardBatch(
  first: OutboxRow,
  ofSubmission: readonly OutboxRow[],
  planned: ReadonlySet<number>,
): Batch {
  const rest: OutboxRow[] = [];
  for (const row of ofSubmission) {
    if (row.id <= first.id || planned.has(row.id)) continue;
    if (row.recipientKind !== 'card') break;
    rest.push(row);
  }
  return [first, ...rest];
}
