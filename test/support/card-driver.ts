/**
 * Driving the app the way UMD staff do: read the submission's card as Slack shows it now, click a move button with
 * the value found on it, and submit the modal that opened. Shared by the Slack tests that walk a ticket through
 * its stages (the staff flow, the release train).
 */
import { findCard } from '../../src/db/repositories/cards.js';
import { type Block, buttonValue } from './blocks.js';
import { type TestBot, UMD_CHANNEL } from './bot.js';
import type { SlackCall } from './fake-slack.js';

export interface OpenedView {
  readonly callback_id: string;
  readonly private_metadata: string;
  readonly blocks: readonly Block[];
}

export type Values = Record<string, Record<string, unknown>>;

/** `bot` is asked for the running test bot at each call, so a driver made once serves every test's new bot. */
export function cardDriver(bot: () => TestBot) {
  function cardLocation(submissionId = 1) {
    const card = findCard(bot().bot.ctx.db, submissionId);
    if (!card) throw new Error(`SUB-${submissionId} has no card yet`);
    return card;
  }

  /** The card as Slack shows it now: the last edit of the card message, or the message as first posted. */
  function currentCard(submissionId = 1): Record<string, unknown> {
    const { ts } = cardLocation(submissionId);
    const { slack } = bot();
    const edit = slack
      .callsTo('chat.update')
      .filter((call) => call.args.ts === ts)
      .at(-1);
    const posted = slack
      .callsTo('chat.postMessage')
      .find(
        (call) =>
          call.args.channel === UMD_CHANNEL &&
          call.args.thread_ts === undefined &&
          String(call.args.text).startsWith(`SUB-${submissionId} `),
      );
    const card = edit ?? posted;
    if (!card) throw new Error(`the card of SUB-${submissionId} never reached Slack`);
    return card.args;
  }

  const lastOpenedView = (): OpenedView => {
    const view = bot().slack.callsTo('views.open').at(-1)?.args.view;
    if (!view) throw new Error('no view was opened');
    return view as OpenedView;
  };

  const responsesTo = (userId: string): SlackCall[] => bot().slack.callsTo(`response_url:click-${userId}`);

  /**
   * Lets the app's own outbox worker send everything due, and waits until it has: drain() runs after the pass the
   * wake starts (passes never overlap) and returns once nothing due is left.
   */
  async function sendOutbox(): Promise<void> {
    bot().bot.worker.wake();
    await bot().bot.worker.drain();
  }

  /** Clicks a button (found on `blocks`) and returns the modal it opened. */
  async function openFrom(
    blocks: unknown,
    userId: string,
    actionId: string,
    blockId?: string,
  ): Promise<OpenedView> {
    const { slack } = bot();
    const before = slack.callsTo('views.open').length;
    await bot().click(userId, actionId, buttonValue(blocks, actionId, blockId));
    if (slack.callsTo('views.open').length !== before + 1) {
      throw new Error(`${actionId} opened no modal: ${JSON.stringify(responsesTo(userId).at(-1)?.args)}`);
    }
    return lastOpenedView();
  }

  /** Clicks a move button of the current card and returns the modal it opened. */
  const openMove = (userId: string, actionId: string, blockId: string, submissionId = 1) =>
    openFrom(currentCard(submissionId).blocks, userId, actionId, blockId);

  /** Clicks a move button on the current card, submits its modal with `values`, and sends the outbox. */
  async function move(userId: string, actionId: string, blockId: string, values: Values = {}) {
    const view = await openMove(userId, actionId, blockId);
    const response = await bot().submitView(userId, view.callback_id, view.private_metadata, values);
    await sendOutbox();
    return response;
  }

  return { cardLocation, currentCard, lastOpenedView, responsesTo, sendOutbox, openFrom, openMove, move };
}
