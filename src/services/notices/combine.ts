import type { NewOutboxRow } from '../../db/repositories/outbox.js';
import { md } from '../../mrkdwn.js';
import { COMBINED_LISTED, combinedNoticeText } from './texts.js';

/** More notices than this for one recipient from one check go as one combined message. */
export const COMBINE_ABOVE = 5;

/**
 * Noise control: when one check produces more than five notices for the same person or channel (at the same
 * send time), they become one message: it keeps the first few notices (the message lists no more), the count, and
 * the ticket ids of the unlisted delays, not all of them (ten thousand delays made a 5 MB row, and 10,000 lookups
 * to render it). The card updates of one submission (its tickets fall due together) become one update whose
 * thread reply lists each change, as the outbox worker would send them.
 */
export function combineNotices(rows: readonly NewOutboxRow[], at: Date): NewOutboxRow[] {
  const groups = new Map<string, NewOutboxRow[]>();
  const cardUpdates = new Map<string, NewOutboxRow>(); // by submission, in the order first seen
  for (const row of rows) {
    if (row.recipientKind === 'card') {
      const earlier = cardUpdates.get(row.recipient);
      cardUpdates.set(
        row.recipient,
        earlier
          ? {
              ...earlier,
              payload: { ...earlier.payload, text: md`${earlier.payload.text}\n${row.payload.text}` },
            }
          : row,
      );
      continue;
    }
    const key = `${row.recipientKind}:${row.recipient}:${row.notBefore?.getTime() ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const kept = [...cardUpdates.values()];
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    if (group.length <= COMBINE_ABOVE) {
      kept.push(...group);
      continue;
    }
    const listed = group.slice(0, COMBINED_LISTED).map((row) => row.payload);
    // Only ticket ids: enough to leave out of the count a delay resolved before the message goes out.
    const unlistedDelayed = group
      .slice(COMBINED_LISTED)
      .flatMap((row) => (row.payload.topic === 'delayed' ? (row.payload.ticketIds ?? []).slice(0, 1) : []));
    kept.push({
      key: `combined:${at.toISOString()}:${first.recipientKind}:${first.recipient}:${first.key}`,
      recipientKind: first.recipientKind,
      recipient: first.recipient,
      submissionId: null,
      payload: {
        topic: 'combined',
        text: combinedNoticeText(
          listed.map((part) => part.text),
          group.length,
        ),
        parts: listed,
        total: group.length,
        ...(unlistedDelayed.length > 0 ? { unlistedDelayed } : {}),
      },
      ...(first.notBefore ? { notBefore: first.notBefore } : {}),
    });
  }
  return kept;
}
