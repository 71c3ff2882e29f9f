/**
 * Small, pure helpers for Block Kit: escaping, the limits in SLACK-NOTES.md, and dates that Slack shows in
 * each reader's own time zone.
 */
import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
export type Button = types.Button;
export type PlainTextOption = types.PlainTextOption;

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  field: 2000,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  modalTitle: 24,
  privateMetadata: 3000,
  actionsElements: 25,
  messageText: 4000,
} as const;

/** Slack's three control characters in user text: `&`, `<`, `>`. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const plain = (text: string, max: number = LIMITS.sectionText) => ({
  type: 'plain_text' as const,
  text: truncate(text, max),
  emoji: true,
});
export const mrkdwn = (text: string, max: number = LIMITS.sectionText) => ({
  type: 'mrkdwn' as const,
  text: truncate(text, max),
});

export function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: plain(text, LIMITS.header) };
}

export function context(text: string): KnownBlock {
  return { type: 'context', elements: [mrkdwn(text)] };
}

export const divider: KnownBlock = { type: 'divider' };

/** A date Slack renders in the reader's time zone, with a UTC fallback for old clients and notifications. */
export function slackDate(at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

export function mention(userId: string): string {
  return userId === 'system'
    ? 'cmd-bot'
    : userId.startsWith('cli:')
      ? `\`${userId.slice(4)}\` (CLI)`
      : `<@${userId}>`;
}

/** "a, b, c and 12 more", kept within `maxChars`. */
export function shortList(items: readonly string[], maxItems: number, maxChars = 1500): string {
  const shown: string[] = [];
  let length = 0;
  for (const item of items.slice(0, maxItems)) {
    if (length + item.length + 2 > maxChars) break;
    shown.push(item);
    length += item.length + 2;
  }
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: plain(text, LIMITS.buttonText),
    action_id: actionId,
    value: truncate(value, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

export function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, LIMITS.optionText), value: truncate(value, 75) };
}

/** Keeps a list of blocks within Slack's limit, replacing the tail with a note of what was left out. */
export function capBlocks(
  blocks: readonly KnownBlock[],
  limit: number,
  note: (omitted: number) => string,
): KnownBlock[] {
  if (blocks.length <= limit) return [...blocks];
  const kept = blocks.slice(0, limit - 1);
  return [...kept, context(note(blocks.length - kept.length))];
}
