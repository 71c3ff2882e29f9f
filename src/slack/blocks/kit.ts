/**
 * Small, pure helpers for Block Kit: the limits in SLACK-NOTES.md, and builders that take only escaped text
 * (src/mrkdwn.ts), so that a message cannot put a person's text live into Slack.
 */
import type { types } from '@slack/bolt';
import { joinMd, type MdValue, Mrkdwn, md } from '../../mrkdwn.js';

export { joinMd, link, type MdValue, Mrkdwn, md, mention, slackDate } from '../../mrkdwn.js';

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
  optionValue: 75,
  /** Options of a select or multi-select; checkboxes show fewer. */
  selectOptions: 100,
  checkboxes: 10,
  modalTitle: 24,
  privateMetadata: 3000,
  actionsElements: 25,
  messageText: 4000,
} as const;

/**
 * Text for a block: a `Mrkdwn` keeps its markup, a string is text from somewhere and is escaped (src/mrkdwn.ts).
 * So no builder here can put a person's `<!channel>` live into a message.
 */
const markupOf = (text: MdValue, max: number): string =>
  (text instanceof Mrkdwn ? text : Mrkdwn.escape(String(text))).truncate(max).markup;

/** A string that Slack does not render (an input's value, a button's value) kept within `max`. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const plain = (text: MdValue, max: number = LIMITS.sectionText) => ({
  type: 'plain_text' as const,
  text: markupOf(text, max),
  emoji: true,
});
export const mrkdwn = (text: MdValue, max: number = LIMITS.sectionText) => ({
  type: 'mrkdwn' as const,
  text: markupOf(text, max),
});

export function section(text: MdValue): KnownBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function header(text: MdValue): KnownBlock {
  return { type: 'header', text: plain(text, LIMITS.header) };
}

export function context(text: MdValue): KnownBlock {
  return { type: 'context', elements: [mrkdwn(text)] };
}

export const divider: KnownBlock = { type: 'divider' };

/** A message as the Web API and response URLs take it: `text` is its notification, escaped like the blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks?: KnownBlock[];
}

export function message(text: MdValue): SlackMessage;
export function message(text: MdValue, blocks: KnownBlock[]): SlackMessage & { blocks: KnownBlock[] };
export function message(text: MdValue, blocks?: KnownBlock[]): SlackMessage {
  return { text: markupOf(text, LIMITS.messageText), ...(blocks ? { blocks } : {}) };
}

/** An answer only the person who asked sees (a slash command's ack, or a post to a click's response_url). */
export function ephemeral(answer: MdValue | SlackMessage): SlackMessage & { response_type: 'ephemeral' } {
  const built =
    typeof answer === 'string' || typeof answer === 'number' || answer instanceof Mrkdwn
      ? message(answer)
      : answer;
  return { response_type: 'ephemeral', ...built };
}

/** An answer to a click, posted to its response_url: seen only by the clicker, the message clicked stays. */
export function clickReply(text: MdValue) {
  return { ...ephemeral(text), replace_original: false };
}

/** A line of a list is cut here, so that one long entry cannot push the others out. */
const LINE_CHARS = 1000;
/** Room kept in a section for a head line and a "…and N more" line. */
const ROOM = 200;

/** The first of `lines` that fit in `max` characters with their line breaks (at least one), each cut to LINE_CHARS. */
function fitting(lines: readonly Mrkdwn[], max: number): Mrkdwn[] {
  const shown: Mrkdwn[] = [];
  let length = 0;
  for (const line of lines) {
    const cut = line.truncate(LINE_CHARS);
    if (shown.length > 0 && length + cut.length + 1 > max) break;
    shown.push(cut);
    length += cut.length + 1;
  }
  return shown;
}

/**
 * Lines for one section (`head` first, if any): as many whole lines as fit in Slack's 3,000 characters (and
 * `count`), then `more(n)` for the n left out, so that nothing is dropped without a word. `keep: 'last'` keeps the
 * newest of a list in time order (a history, reports), with how many earlier ones were left out before them.
 */
export function linesWithin(
  lines: readonly Mrkdwn[],
  more: (left: number) => MdValue,
  options: {
    readonly head?: Mrkdwn;
    readonly keep?: 'first' | 'last';
    /** At most this many lines, however short. */
    readonly count?: number;
    /** How many more there are than `lines` holds (a query's limit): counted with those left out here. */
    readonly unlisted?: number;
  } = {},
): Mrkdwn {
  const ordered = options.keep === 'last' ? [...lines].reverse() : lines;
  const room = LIMITS.sectionText - ROOM - (options.head?.length ?? 0);
  const shown = fitting(ordered.slice(0, options.count ?? ordered.length), room);
  if (options.keep === 'last') shown.reverse();
  const left = lines.length - shown.length + (options.unlisted ?? 0);
  const note = left > 0 ? [more(left)] : [];
  // The count of earlier ones goes before the newest, where they would have been.
  const body = options.keep === 'last' ? [...note, ...shown] : [...shown, ...note];
  return joinMd([...(options.head ? [options.head] : []), ...body], '\n');
}

/** Lines in as many sections as they need, each within Slack's 3,000 characters and `perSection` lines. */
export function sectionsOf(lines: readonly Mrkdwn[], perSection = 20): KnownBlock[] {
  const sections: KnownBlock[] = [];
  for (let next = 0; next < lines.length; ) {
    const shown = fitting(lines.slice(next, next + perSection), LIMITS.sectionText);
    sections.push(section(joinMd(shown, '\n')));
    next += shown.length;
  }
  return sections;
}

/** "a, b, c and 12 more", kept within `maxChars`. */
export function shortList(items: readonly MdValue[], maxItems: number, maxChars = 1500): Mrkdwn {
  const shown: Mrkdwn[] = [];
  let length = 0;
  for (const item of items.slice(0, maxItems)) {
    const markup = item instanceof Mrkdwn ? item : Mrkdwn.escape(String(item));
    if (length + markup.length + 2 > maxChars) break;
    shown.push(markup);
    length += markup.length + 2;
  }
  const more = items.length - shown.length;
  return more > 0 ? md`${joinMd(shown, ', ')} and ${more} more` : joinMd(shown, ', ');
}

export function button(text: MdValue, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: plain(text, LIMITS.buttonText),
    action_id: actionId,
    value: truncate(value, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

/**
 * An option: `text` is shown (escaped, cut to fit), `value` is what Slack sends back: keep it a short id. A value
 * is never cut, because a cut value would name something else or nothing: one too long is a bug, and throws.
 */
export function option(text: MdValue, value: string): PlainTextOption {
  if (value.length > LIMITS.optionValue) {
    throw new Error(`an option's value may have ${LIMITS.optionValue} characters, not ${value.length}`);
  }
  return { text: plain(text, LIMITS.optionText), value };
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
