/**
 * Slack's markup, and the one place where text from people and files is made harmless in it.
 *
 * Slack reads `<…>` as a link, a mention or a command (`<!channel>` pings a whole channel,
 * `<https://evil.example|install the fix>` disguises a link) and `&` starts an entity. So every string that came
 * from a person or a file reaches Slack with `&`, `<` and `>` escaped, in every field Slack renders: a message's
 * `text` (its notification), its blocks, fields, context and headers.
 *
 * `Mrkdwn` is text that is already safe to send. It is made only here:
 * - by the `md` template tag, which keeps the template's own words (the bot's markup) and escapes every string
 *   put into it, while a `Mrkdwn` put into it stays as it is;
 * - by the helpers below that write the bot's own markup: a mention of a valid user id, a link to an http(s)
 *   address, a date.
 * The Block Kit builders (src/slack/blocks/kit.ts) and the notices the use cases queue take `Mrkdwn`, never a
 * string, so a new message cannot forget to escape: it does not compile. Any layer may import this module.
 */

import { isSlackChannelId, isSlackUserId } from './domain/ids.js';
import { formatInstant } from './domain/machine.js';

export class Mrkdwn {
  private constructor(readonly markup: string) {}

  /** A string from a person or a file, escaped. */
  static escape(text: string): Mrkdwn {
    return new Mrkdwn(escapeText(text));
  }

  /**
   * Markup this bot wrote and stored earlier (a queued notice, read back from the outbox). Never for anything a
   * person typed: that goes through `md` or `escape`.
   */
  static stored(markup: string): Mrkdwn {
    return new Mrkdwn(markup);
  }

  static readonly empty = new Mrkdwn('');

  get length(): number {
    return this.markup.length;
  }

  isEmpty(): boolean {
    return this.markup === '';
  }

  /** Stored as its markup (the outbox keeps queued notices as JSON). */
  toJSON(): string {
    return this.markup;
  }

  /**
   * Put into a plain template string, markup would be escaped a second time wherever that string goes next:
   * always a mistake, so it fails loudly (the tests reach every message) instead of showing `&amp;lt;`.
   */
  toString(): string {
    throw new TypeError('Mrkdwn put into a plain string: build it with md`…` or read .markup');
  }

  /**
   * At most `max` characters, ending with `…` when cut. Never cuts inside an entity (`&amp;`) or a `<…>` of the
   * bot's own (a mention, a link, a date): a half entity would show as text, a half link would swallow the rest.
   */
  truncate(max: number): Mrkdwn {
    if (this.markup.length <= max) return this;
    const markup = this.markup;
    let end = Math.max(0, max - 1);
    const openTag = markup.lastIndexOf('<', end - 1);
    const closeTag = openTag === -1 ? -1 : markup.indexOf('>', openTag);
    if (openTag !== -1 && (closeTag === -1 || closeTag >= end)) end = openTag;
    const amp = markup.lastIndexOf('&', end - 1);
    if (amp !== -1 && amp + 4 >= end && !markup.slice(amp, end).includes(';')) end = amp;
    return new Mrkdwn(`${markup.slice(0, end)}…`);
  }

  /** Slack's own text back as plain text, for a terminal or a file: entities decoded, markup left. */
  toPlainText(): string {
    return decodeEntities(this.markup);
  }
}

/** Slack's three control characters: `&`, `<`, `>`. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The three entities Slack writes into what people typed (`&amp;`, `&lt;`, `&gt;`), back to characters. */
export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) =>
    name === 'lt' ? '<' : name === 'gt' ? '>' : '&',
  );
}

export type MdValue = string | number | Mrkdwn;

const toMarkup = (value: MdValue): string =>
  value instanceof Mrkdwn ? value.markup : escapeText(String(value));

/** md`*${product}* moved by ${mention(user)}`: the template is the bot's markup, every string put in is escaped. */
export function md(template: TemplateStringsArray, ...values: readonly MdValue[]): Mrkdwn {
  let markup = template[0] ?? '';
  for (let i = 0; i < values.length; i += 1) {
    markup += toMarkup(values[i] as MdValue) + (template[i + 1] ?? '');
  }
  return Mrkdwn.stored(markup);
}

/** Pieces of markup (or strings, escaped) joined by `separator` (the bot's own, e.g. `', '` or `'\n'`). */
export function joinMd(parts: readonly MdValue[], separator = ''): Mrkdwn {
  return Mrkdwn.stored(parts.map(toMarkup).join(escapeText(separator)));
}

const HTTP_URL = /^https?:\/\/\S+$/i;
/**
 * Who did something: a mention of a Slack user, `cmd-bot` for the system, an operator's name for the CLI. A
 * value that is not a user id is shown as text, escaped, never as a mention.
 */
export function mention(actorId: string): Mrkdwn {
  if (actorId === 'system') return md`cmd-bot`;
  if (actorId.startsWith('cli:')) return md`\`${actorId.slice(4)}\` (CLI)`;
  return isSlackUserId(actorId) ? Mrkdwn.stored(`<@${actorId}>`) : Mrkdwn.escape(actorId);
}

export function channelMention(channelId: string): Mrkdwn {
  return isSlackChannelId(channelId) ? Mrkdwn.stored(`<#${channelId}>`) : Mrkdwn.escape(channelId);
}

/**
 * A link to an http(s) address, labelled. The address is the bot's to write: `|` and `>` could end it early and
 * turn the rest into a label of the sender's choosing, so they (and `<`) are percent-encoded and `&` escaped.
 * Anything that is not an http(s) address is shown as text, never linked.
 */
export function link(url: string, label: MdValue = url): Mrkdwn {
  if (!HTTP_URL.test(url)) return label === url ? Mrkdwn.escape(url) : md`${label} (${url})`;
  const target = url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
  return Mrkdwn.stored(`<${target}|${toMarkup(label)}>`);
}

/** A date Slack renders in the reader's time zone, with a UTC fallback for old clients and notifications. */
export function slackDate(at: Date): Mrkdwn {
  const seconds = Math.floor(at.getTime() / 1000);
  return Mrkdwn.stored(`<!date^${seconds}^{date_short_pretty} {time}|${formatInstant(at)}>`);
}
