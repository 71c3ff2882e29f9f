/**
 * cmd-bot end to end with signed requests, as Slack and its users would see it: production settings (acks
 * that never wait on a slow Slack), refused requests, the commands anyone may use, the App Home tab, Block
 * Kit limits whatever the input, a deployment with no staff, and /healthz.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findProductByName } from '../../src/db/repositories/products.js';
import { findSubmission } from '../../src/db/repositories/submissions.js';
import { history, outbox, refusals, submissions, tickets } from '../../src/db/schema.js';
import { type Caller, checkDelays, inject, registerProduct, submit } from '../../src/services/index.js';
import {
  CONTACT_ID,
  field,
  SECRET,
  STAFF_ID,
  STRANGER_ID,
  startTestBot,
  type TestBot,
  UMD_CHANNEL,
} from '../support/bot.js';
import type { SlackCall } from '../support/fake-slack.js';
import { postToSlackApp, sign, slashCommandBody } from '../support/slack-requests.js';
import { stateFromModal } from '../support/views.js';

const STAFF: Caller = { userId: STAFF_ID, staff: true };
const CONTACT: Caller = { userId: CONTACT_ID, staff: false };
const ONE_LINE = 'ARC 6.21.1 <https://www.nordugrid.org/arc/6.21.1|notes> nordugrid-arc nordugrid-arc-client';
/** The value a card's Inject button carries for SUB-1 as first shown. */
const INJECT_SUB_1 = JSON.stringify({ s: 'SUB-1', v: 1 });

// ---------------------------------------------------------------------------------------------------------
// Helpers

interface TextObject {
  readonly type?: string;
  readonly text?: string;
}
interface KitElement {
  readonly type?: string;
  readonly text?: string | TextObject;
  readonly value?: string;
  readonly action_id?: string;
}
interface KitBlock {
  readonly type: string;
  readonly block_id?: string;
  readonly text?: TextObject;
  readonly fields?: readonly TextObject[];
  readonly elements?: readonly KitElement[];
  readonly element?: { readonly type: string; readonly action_id?: string } & Record<string, unknown>;
}
interface Reply {
  readonly response_type?: string;
  readonly text?: string;
  readonly blocks?: readonly KitBlock[];
}
interface View {
  readonly type: string;
  readonly callback_id?: string;
  readonly private_metadata?: string;
  readonly blocks: readonly KitBlock[];
}

const replyOf = (response: { json: unknown }): Reply => (response.json ?? {}) as Reply;
/** Everything a person reads in a reply or message: its text and every block, as one string. */
const shown = (message: { text?: unknown; blocks?: unknown }): string =>
  `${String(message.text ?? '')}\n${JSON.stringify(message.blocks ?? [])}`;
const actionIds = (blocks: readonly KitBlock[] | undefined): string[] =>
  (blocks ?? []).flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []).map((e) => e.action_id ?? '') : [],
  );
const textLength = (text: string | TextObject | undefined): number =>
  typeof text === 'string' ? text.length : (text?.text?.length ?? 0);

/** Every Block Kit limit from SLACK-NOTES.md that these blocks break; empty when they fit. */
function kitProblems(blocks: readonly KitBlock[], maxBlocks: number): string[] {
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks (limit ${maxBlocks})`);
  blocks.forEach((block, i) => {
    const at = `block ${i} (${block.type})`;
    if (block.type === 'section' && textLength(block.text) > 3000)
      problems.push(`${at}: text of ${textLength(block.text)} chars`);
    if (block.type === 'section' && (block.fields?.length ?? 0) > 10) problems.push(`${at}: > 10 fields`);
    for (const f of block.fields ?? [])
      if (textLength(f) > 2000) problems.push(`${at}: a field of ${textLength(f)} chars`);
    if (block.type === 'header' && textLength(block.text) > 150)
      problems.push(`${at}: header of ${textLength(block.text)} chars`);
    if (block.type === 'context')
      for (const e of block.elements ?? [])
        if (textLength(e.text) > 3000) problems.push(`${at}: context text of ${textLength(e.text)} chars`);
    if (block.type === 'actions') {
      if ((block.elements?.length ?? 0) > 25) problems.push(`${at}: ${block.elements?.length} elements`);
      for (const e of block.elements ?? []) {
        if (textLength(e.text) > 75) problems.push(`${at}: button text of ${textLength(e.text)} chars`);
        if ((e.value?.length ?? 0) > 2000) problems.push(`${at}: button value of ${e.value?.length} chars`);
      }
    }
  });
  return problems;
}

function count(t: TestBot) {
  const n = (table: typeof submissions | typeof tickets | typeof outbox | typeof refusals | typeof history) =>
    t.bot.ctx.db.select({ n: sql<number>`count(*)` }).from(table).get()?.n ?? 0;
  return {
    submissions: n(submissions),
    tickets: n(tickets),
    outbox: n(outbox),
    refusals: n(refusals),
    history: n(history),
  };
}

/** POSTs a body signed the way a test chooses (secret, time, content-type), straight to the app. */
function rawPost(
  t: TestBot,
  body: string,
  options: { secret?: string; timestampSec?: number; signature?: string; contentType?: string } = {},
) {
  const { secret = SECRET, ...rest } = options;
  return postToSlackApp(t.url, secret, body, rest);
}

const submitLine = (text: string, userId = CONTACT_ID) =>
  slashCommandBody({ command: '/cmd-submit', text, user_id: userId });

const methodCalls = (calls: SlackCall[], method: string) => calls.filter((c) => c.method === method);
/** What the app asked of Slack, leaving out the auth.test Bolt makes once at start-up. */
const slackCallsAfterStart = (t: TestBot) => t.slack.calls.filter((c) => c.method !== 'auth.test');

// ---------------------------------------------------------------------------------------------------------

describe('with production settings: replies before the work, and a Slack that takes 2 s to answer', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await startTestBot({ processBeforeResponse: false });
    // Bolt checks the token with auth.test once, just after start, and every request waits for that answer:
    // let it through at full speed (see the start-up suite for what happens when it fails).
    await t.slack.waitFor((calls) => calls.some((c) => c.method === 'auth.test'), 3000);
    t.slack.setDelay(2000);
  });
  afterEach(async () => {
    await t.stop();
  });

  it('when a contact submits in one line, then the ack comes back at once with SUB-1 and the submission is already stored', async () => {
    const response = await t.command(CONTACT_ID, '/cmd-submit', ONE_LINE);
    // Read before anything else can run: acknowledged means committed.
    const stored = findSubmission(t.bot.ctx.db, 1);

    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(1500);
    expect(replyOf(response)).toMatchObject({ response_type: 'ephemeral' });
    expect(replyOf(response).text).toContain('as *SUB-1*');
    expect(stored).toMatchObject({ version: '6.21.1', submittedBy: CONTACT_ID });
  });

  it('when a submission is committed, then the outbox worker posts the card to the UMD channel without being drained', async () => {
    await t.command(CONTACT_ID, '/cmd-submit', ONE_LINE);

    const calls = await t.slack.waitFor(
      (all) => all.some((c) => c.method === 'chat.postMessage' && c.args.channel === UMD_CHANNEL),
      3000,
    );
    const card = methodCalls(calls, 'chat.postMessage').find((c) => c.args.channel === UMD_CHANNEL);
    expect(String(card?.args.text)).toContain('SUB-1 ARC 6.21.1');
    expect(JSON.stringify(card?.args.blocks)).toContain('move:inject');
  });

  it('when a contact types /cmd-submit alone, then the ack is quick and the form still opens', async () => {
    const response = await t.command(CONTACT_ID, '/cmd-submit');

    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(1500);
    const calls = await t.slack.waitFor((all) => all.some((c) => c.method === 'views.open'), 3000);
    const view = methodCalls(calls, 'views.open')[0]?.args.view as View;
    expect(view.callback_id).toBe('submit_release');
  });

  it('when staff click Inject on a card, then the click is acked at once and the Inject form opens', async () => {
    submit(
      t.bot.ctx,
      { product: 'ARC', version: '7.0.0', releaseNotes: 'https://x.org/7', packages: ['arc'] },
      CONTACT,
    );

    const response = await t.click(STAFF_ID, 'move:inject', INJECT_SUB_1);

    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(1500);
    const calls = await t.slack.waitFor((all) => all.some((c) => c.method === 'views.open'), 3000);
    const view = methodCalls(calls, 'views.open')[0]?.args.view as View;
    expect(view.callback_id).toBe('move');
    expect(JSON.parse(view.private_metadata ?? '{}')).toMatchObject({ s: 'SUB-1', e: 'inject' });
  });
});

describe('requests that must be refused', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await startTestBot();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('when a request has a bad signature, then it gets 401 and nothing is stored', async () => {
    const before = count(t);
    const forged = await rawPost(t, submitLine(ONE_LINE), { signature: `v0=${'0'.repeat(64)}` });
    const wrongSecret = await rawPost(t, submitLine(ONE_LINE), { secret: 'not-the-signing-secret' });

    expect(forged.status).toBe(401);
    expect(wrongSecret.status).toBe(401);
    expect(count(t)).toEqual(before);
    expect(slackCallsAfterStart(t)).toEqual([]);
  });

  it('when a request is six minutes old (signed correctly for that time), then it gets 401 and nothing is stored', async () => {
    const before = count(t);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const body = submitLine(ONE_LINE);

    const response = await rawPost(t, body, {
      timestampSec: sixMinutesAgo,
      signature: sign(SECRET, body, sixMinutesAgo),
    });

    expect(response.status).toBe(401);
    expect(count(t)).toEqual(before);
  });

  it('when a form body comes with "; charset=utf-8", then it is not processed and nothing is stored', async () => {
    const before = count(t);

    const response = await rawPost(t, submitLine(ONE_LINE), {
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    });

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.text).not.toContain('SUB-1');
    expect(count(t)).toEqual(before);
    expect(slackCallsAfterStart(t)).toEqual([]);
  });

  // FIXED (src/slack/app.ts, answerUnhandled): Bolt left a click nobody listens to unanswered for 3 s (Slack shows
  // the clicker an error), then answered 404.
  it('when a click has an action id no listener knows, then it is answered at once, the clicker is told the button is outdated, and nothing changes', async () => {
    submit(
      t.bot.ctx,
      { product: 'ARC', version: '7.0.0', releaseNotes: 'https://x.org/7', packages: ['arc'] },
      CONTACT,
    );
    await t.bot.worker.drain(); // the new submission's card goes out first
    const before = count(t);
    const callsBefore = slackCallsAfterStart(t).length;

    const response = await t.click(STAFF_ID, 'legacy:teleport', INJECT_SUB_1, {
      responseUrl: t.slack.responseUrl('legacy'),
    });

    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(1000);
    expect(count(t)).toEqual(before);
    await t.slack.waitFor((calls) => calls.some((c) => c.method === 'response_url:legacy'));
    expect(
      slackCallsAfterStart(t)
        .slice(callsBefore)
        .map((c) => [c.method, c.args.text]),
    ).toEqual([['response_url:legacy', expect.stringContaining('from an older version of cmd-bot')]]);
  });

  it('when a move button has an unknown move or an unreadable value, then the clicker is told it is outdated and nothing changes', async () => {
    submit(
      t.bot.ctx,
      { product: 'ARC', version: '7.0.0', releaseNotes: 'https://x.org/7', packages: ['arc'] },
      CONTACT,
    );
    const before = count(t);

    const unknownMove = await t.click(STAFF_ID, 'move:teleport', INJECT_SUB_1, {
      responseUrl: t.slack.responseUrl('unknown-move'),
    });
    const garbled = await t.click(STAFF_ID, 'move:inject', '{not json', {
      responseUrl: t.slack.responseUrl('garbled'),
    });

    expect(unknownMove.status).toBe(200);
    expect(garbled.status).toBe(200);
    const calls = await t.slack.waitFor(
      (all) =>
        all.some((c) => c.method === 'response_url:unknown-move') &&
        all.some((c) => c.method === 'response_url:garbled'),
      3000,
    );
    for (const id of ['unknown-move', 'garbled']) {
      expect(String(methodCalls(calls, `response_url:${id}`)[0]?.args.text)).toContain(
        'from an older version of cmd-bot',
      );
    }
    expect(methodCalls(calls, 'views.open')).toEqual([]);
    expect(count(t)).toEqual(before);
  });
});

describe('commands anyone may use', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await startTestBot();
  });
  afterEach(async () => {
    await t.stop();
  });

  const submitArc = (version = '6.21.1') =>
    submit(
      t.bot.ctx,
      {
        product: 'ARC',
        version,
        releaseNotes: `https://www.nordugrid.org/arc/${version}`,
        packages: ['nordugrid-arc', 'nordugrid-arc-client'],
      },
      CONTACT,
    );

  it('when someone asks /cmd-status SUB-1, then they see the release, its status and its history', async () => {
    submitArc();

    const response = await t.command(STRANGER_ID, '/cmd-status', 'SUB-1');

    const reply = replyOf(response);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe('SUB-1: Open');
    expect(shown(reply)).toContain('ARC 6.21.1');
    expect(shown(reply)).toContain('injection due');
    expect(shown(reply)).toContain('*History*');
    expect(kitProblems(reply.blocks ?? [], 50)).toEqual([]);
  });

  it('when someone asks /cmd-status TKT-2 after injection, then they see the release with every ticket', async () => {
    submitArc();
    inject(t.bot.ctx, 1, { expectedVersion: 1 }, STAFF);

    const reply = replyOf(await t.command(STRANGER_ID, '/cmd-status', 'tkt-2'));

    expect(reply.text).toBe('SUB-1: Solved');
    expect(shown(reply)).toContain('*TKT-1* el9/x86_64: *Unverified*');
    expect(shown(reply)).toContain('*TKT-2* el8/x86_64: *Unverified*');
  });

  it('when someone asks /cmd-status ARC, then they see the latest release of the product and the earlier ones', async () => {
    submitArc('6.21.1');
    submitArc('6.22.0');

    const reply = replyOf(await t.command(STRANGER_ID, '/cmd-status', 'ARC'));

    expect(reply.text).toBe('SUB-2: Open');
    expect(shown(reply)).toContain('ARC 6.22.0');
    expect(shown(reply)).toContain('Latest of 2; earlier: SUB-1 (6.21.1)');
  });

  it('when /cmd-status names nothing, an unknown id or an unknown product, then a clear ephemeral message says so', async () => {
    const empty = replyOf(await t.command(STRANGER_ID, '/cmd-status', ''));
    const unknownSub = replyOf(await t.command(STRANGER_ID, '/cmd-status', 'SUB-99'));
    const unknownTicket = replyOf(await t.command(STRANGER_ID, '/cmd-status', 'TKT-7'));
    const unknownProduct = replyOf(await t.command(STRANGER_ID, '/cmd-status', 'Nope'));
    const noSubmissions = replyOf(await t.command(STRANGER_ID, '/cmd-status', 'arc'));

    for (const reply of [empty, unknownSub, unknownTicket, unknownProduct, noSubmissions])
      expect(reply.response_type).toBe('ephemeral');
    expect(empty.text).toContain('Give a submission, ticket or product');
    expect(unknownSub.text).toBe('There is no submission SUB-99.');
    expect(unknownTicket.text).toContain('TKT-7');
    expect(unknownProduct.text).toBe('There is no Product ID card named Nope.');
    expect(noSubmissions.text).toBe('ARC has no submissions yet.');
  });

  it('when someone runs /cmd-list, then they see what is open; with "delayed" only the delayed tickets', async () => {
    submitArc('6.21.1');
    submitArc('6.22.0');
    inject(t.bot.ctx, 1, { expectedVersion: 1 }, STAFF);

    const open = replyOf(await t.command(STRANGER_ID, '/cmd-list'));
    const delayedBefore = replyOf(await t.command(STRANGER_ID, '/cmd-list', 'delayed'));
    t.clock.set('2027-06-01T09:00:00Z');
    checkDelays(t.bot.ctx);
    const delayedAfter = replyOf(await t.command(STRANGER_ID, '/cmd-list', 'delayed'));

    expect(open.text).toBe('Open submissions and tickets: 3');
    expect(shown(open)).toContain('*SUB-2* ARC 6.22.0 · Open');
    expect(shown(open)).toContain('*TKT-1* ARC 6.21.1 el9/x86_64 · Unverified');
    expect(delayedBefore.text).toBe('delayed: nothing');
    expect(delayedAfter.text).toBe('delayed: 2');
    expect(shown(delayedAfter)).toContain('*TKT-2* ARC 6.21.1 el8/x86_64 · Delayed');
    expect(shown(delayedAfter)).not.toContain('SUB-2');
  });

  it('when a contact runs /cmd-list mine, then they see their product’s items, and a stranger sees none', async () => {
    submitArc();

    const mine = replyOf(await t.command(CONTACT_ID, '/cmd-list', 'mine'));
    const strangers = replyOf(await t.command(STRANGER_ID, '/cmd-list', 'MINE'));

    expect(shown(mine)).toContain('*SUB-1* ARC 6.21.1 · Open');
    expect(strangers.text).toContain('nothing');
  });

  it('when /cmd-list is given a status that does not exist, then the valid statuses are listed', async () => {
    const reply = replyOf(await t.command(STRANGER_ID, '/cmd-list', 'bogus'));

    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('Unknown status "bogus"');
    for (const status of [
      'unverified',
      'verification',
      'staged_rollout',
      'delayed',
      'ready',
      'open',
      'solved',
    ])
      expect(reply.text).toContain(status);
  });

  it('when a non-staff user asks /cmd-product ARC, then they see the card without an Edit button; staff get one', async () => {
    const contact = replyOf(await t.command(CONTACT_ID, '/cmd-product', 'ARC'));
    const staff = replyOf(await t.command(STAFF_ID, '/cmd-product', 'arc'));

    expect(contact.text).toBe('Product ID card: ARC');
    expect(shown(contact)).toContain('*Team:* NorduGrid');
    expect(shown(contact)).toContain('<@UCONTACT1>');
    expect(actionIds(contact.blocks)).toEqual([]);
    expect(actionIds(staff.blocks)).toEqual(['product:edit']);
  });

  it('when /cmd-product names no card, then staff get a Create button and others are told to ask the UMD team', async () => {
    const staff = replyOf(await t.command(STAFF_ID, '/cmd-product', 'Nope'));
    const contact = replyOf(await t.command(CONTACT_ID, '/cmd-product', 'Nope'));

    expect(staff.text).toBe('No Product ID card named Nope');
    expect(shown(staff)).toContain('Known: ARC');
    expect(actionIds(staff.blocks)).toEqual(['product:edit']);
    expect(JSON.stringify(staff.blocks)).toContain('Create Nope');
    expect(actionIds(contact.blocks)).toEqual([]);
    expect(shown(contact)).toContain('Ask the UMD team to create it.');
  });

  it('when staff edit ARC with a bad email, then the error is beside the field; with a good one the card is saved', async () => {
    await t.click(STAFF_ID, 'product:edit', 'ARC');
    const [open] = await t.slack
      .waitFor((all) => all.some((c) => c.method === 'views.open'), 3000)
      .then((all) => methodCalls(all, 'views.open'));
    const view = open?.args.view as View;
    expect(view.callback_id).toBe('product_card');
    // What Slack sends back: every field as the modal showed it, then the person's changes.
    const values = {
      ...stateFromModal(view),
      team: field.text('NorduGrid Collaboration'),
      supportEmail: field.text('not-an-email'),
    };

    const refused = await t.submitView(STAFF_ID, 'product_card', view.private_metadata ?? '', values);

    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: { supportEmail: expect.stringContaining('email') },
    });
    expect(findProductByName(t.bot.ctx.db, 'ARC')?.team).toBe('NorduGrid');

    const saved = await t.submitView(STAFF_ID, 'product_card', view.private_metadata ?? '', {
      ...values,
      supportEmail: field.text('arc-support@nordugrid.org'),
    });

    expect(saved.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(saved.json)).toContain('*ARC* is saved');
    expect(findProductByName(t.bot.ctx.db, 'ARC')).toMatchObject({
      name: 'ARC',
      team: 'NorduGrid Collaboration',
      supportEmail: 'arc-support@nordugrid.org',
      contacts: [CONTACT_ID],
      contactChannel: 'C0ARCTEAM',
      platforms: ['el9/x86_64', 'el8/x86_64'],
      earlyAdopterSites: ['SITE-A'],
    });
  });

  it('when a non-staff user clicks Edit on a card, then they are refused and no form opens', async () => {
    const response = await t.click(CONTACT_ID, 'product:edit', 'ARC', {
      responseUrl: t.slack.responseUrl('edit'),
    });

    expect(response.status).toBe(200);
    const calls = await t.slack.waitFor((all) => all.some((c) => c.method === 'response_url:edit'), 3000);
    expect(methodCalls(calls, 'response_url:edit')[0]?.args).toMatchObject({
      response_type: 'ephemeral',
      text: 'Only the UMD team can create or edit Product ID cards.',
    });
    expect(methodCalls(calls, 'views.open')).toEqual([]);
  });

  it('when a non-staff user submits a forged product form, then nothing is saved and the refusal is recorded', async () => {
    const before = count(t);

    const response = await t.submitView(CONTACT_ID, 'product_card', JSON.stringify({ original: 'ARC' }), {
      name: field.text('ARC'),
      team: field.text('Hijacked'),
    });

    expect(response.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(response.json)).toContain('Only the UMD team can create or edit Product ID cards');
    expect(findProductByName(t.bot.ctx.db, 'ARC')?.team).toBe('NorduGrid');
    expect(count(t).refusals).toBe(before.refusals + 1);
  });

  it('when someone asks /cmd-help, then they see every command; staff also learn how to move releases', async () => {
    const contact = replyOf(await t.command(CONTACT_ID, '/cmd-help'));
    const staff = replyOf(await t.command(STAFF_ID, '/cmd-help'));

    expect(contact.response_type).toBe('ephemeral');
    for (const command of ['/cmd-submit', '/cmd-status', '/cmd-list', '/cmd-product'])
      expect(shown(contact)).toContain(command);
    expect(shown(contact)).not.toContain('You are UMD staff');
    expect(shown(staff)).toContain('You are UMD staff');
  });
});

describe('the App Home tab', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await startTestBot();
  });
  afterEach(async () => {
    await t.stop();
  });

  const openHome = async (userId: string): Promise<View> => {
    const response = await t.event({
      type: 'app_home_opened',
      user: userId,
      channel: `D${userId.slice(1)}`,
      tab: 'home',
      event_ts: '1700000000.000200',
    });
    expect(response.status).toBe(200);
    const calls = await t.slack.waitFor(
      (all) => all.some((c) => c.method === 'views.publish' && c.args.user_id === userId),
      3000,
    );
    const publish = methodCalls(calls, 'views.publish').filter((c) => c.args.user_id === userId);
    return publish[publish.length - 1]?.args.view as View;
  };

  it('when staff open the Home tab, then it shows the ticket counts per status and every section', async () => {
    submit(
      t.bot.ctx,
      { product: 'ARC', version: '6.21.1', releaseNotes: 'https://x.org/n', packages: ['arc'] },
      CONTACT,
    );
    submit(
      t.bot.ctx,
      { product: 'ARC', version: '6.22.0', releaseNotes: 'https://x.org/n', packages: ['arc'] },
      CONTACT,
    );
    inject(t.bot.ctx, 1, { expectedVersion: 1 }, STAFF);

    const view = await openHome(STAFF_ID);

    expect(view.type).toBe('home');
    const text = shown(view);
    expect(text).toContain('Unverified: *2*');
    expect(text).toContain('Delayed: *0*');
    expect(text).toContain('*Submissions to inject:* 1');
    for (const title of [
      'Submissions waiting for injection',
      'Delayed',
      'Due in the next 7 days',
      'Waiting on providers',
    ])
      expect(text).toContain(`*${title}*`);
    expect(text).toContain('*SUB-2* ARC 6.22.0');
  });

  it('when a contact opens the Home tab, then it shows their submissions, and a stranger has none', async () => {
    submit(
      t.bot.ctx,
      { product: 'ARC', version: '6.21.1', releaseNotes: 'https://x.org/n', packages: ['arc'] },
      CONTACT,
    );
    inject(t.bot.ctx, 1, { expectedVersion: 1 }, STAFF);

    const contact = await openHome(CONTACT_ID);
    const stranger = await openHome(STRANGER_ID);

    expect(shown(contact)).toContain('Your releases');
    expect(shown(contact)).toContain('*SUB-1* ARC 6.21.1');
    expect(shown(contact)).toContain('Tickets: Unverified, Unverified');
    expect(shown(stranger)).toContain('You have no submissions yet.');
  });

  it('when there are 3,000 tickets with long notes, then the staff and contact Home tabs stay within 100 blocks and 3000-char sections', async () => {
    const seeded = seedMany(t, 1000);

    const staffView = await openHome(STAFF_ID);
    const contactView = await openHome(CONTACT_ID);

    expect(kitProblems(staffView.blocks, 100)).toEqual([]);
    expect(kitProblems(contactView.blocks, 100)).toEqual([]);
    expect(shown(staffView)).toContain(`Unverified: *${seeded.unverified}*`);
    expect(shown(staffView)).toContain(`Delayed: *${seeded.delayed}*`);
    expect(shown(staffView)).toContain(`Waiting for provider: *${seeded.waiting_for_provider}*`);
    expect(shown(staffView)).toMatch(/and \d+ more: `\/cmd-list`/);
    expect(shown(contactView)).toContain('older ones');
  });
});

/**
 * `submissionCount` solved submissions of ARC, three tickets each, in one transaction; the tickets cycle
 * through the statuses, with long notes full of Slack's control characters. Returns the count per status.
 */
function seedMany(t: TestBot, submissionCount: number): Record<string, number> {
  const db = t.bot.ctx.db;
  const now = t.clock.now();
  const product = findProductByName(db, 'ARC');
  if (!product) throw new Error('ARC is not seeded');
  const platforms = ['el9/x86_64', 'el8/x86_64', 'ubuntu22/amd64'];
  const statuses = [
    'unverified',
    'verification',
    'staged_rollout',
    'delayed',
    'waiting_for_provider',
    'ready',
  ];
  const counts: Record<string, number> = {};
  const longNote = '<b>&amp; a long note </b>'.repeat(80);
  const day = 86_400_000;
  db.transaction((tx) => {
    let n = 0;
    for (let s = 0; s < submissionCount; s++) {
      const row = tx
        .insert(submissions)
        .values({
          productId: product.id,
          version: `9.${s}.0-${'x'.repeat(50)}`,
          releaseNotes: 'https://x.org/n',
          distribution: 'UMD-5',
          security: s % 10 === 0,
          submittedBy: CONTACT_ID,
          submittedAt: now,
          comment: null,
          platforms,
          packagesByPlatform: Object.fromEntries(platforms.map((p) => [p, ['arc']])),
          status: 'solved',
          stateVersion: 2,
          enteredAt: now,
          deadline: null,
        })
        .returning({ id: submissions.id })
        .get();
      tx.insert(tickets)
        .values(
          platforms.map((platform) => {
            const status = statuses[n++ % statuses.length] as string;
            counts[status] = (counts[status] ?? 0) + 1;
            const clocked = ['unverified', 'verification', 'staged_rollout'].includes(status);
            return {
              submissionId: row.id,
              platform,
              packages: ['arc'],
              createdAt: now,
              status,
              enteredAt: new Date(now.getTime() - (n % 50) * day),
              deadline: clocked ? new Date(now.getTime() + ((n % 10) + 1) * day) : null,
              reason: status === 'waiting_for_provider' ? longNote : null,
              delayedFrom: status === 'delayed' ? 'verification' : null,
              delayExplanation: status === 'delayed' ? longNote : null,
            };
          }),
        )
        .run();
    }
  });
  return counts;
}

describe('Block Kit limits, whatever the input', () => {
  let t: TestBot;
  afterEach(async () => {
    await t.stop();
  });

  it('when a release has 30 platforms, 2000 long package names each and a long comment, then every message and status fits Slack’s limits', async () => {
    const extra = Array.from({ length: 27 }, (_, i) => `os${i}/x86_64`);
    t = await startTestBot({
      env: { PLATFORMS: ['el9/x86_64', 'el8/x86_64', 'ubuntu22/amd64', ...extra].join(',') },
    });
    const platforms = t.bot.ctx.platforms;
    const name = 'Very Long Product Name'.padEnd(80, 'X');
    registerProduct(t.bot.ctx, { name, contacts: [CONTACT_ID], platforms: [...platforms] }, STAFF);
    const packages = Object.fromEntries(
      platforms.map((p) => [
        p,
        Array.from({ length: 2000 }, (_, i) => `${p}-pkg-${i}-<&>`.padEnd(100 + (i % 100), '&')),
      ]),
    );
    submit(
      t.bot.ctx,
      {
        product: name,
        version: `1.${'9'.repeat(62)}`,
        releaseNotes: `https://example.org/${'n'.repeat(1500)}`,
        platforms: [...platforms],
        packages,
        security: true,
        comment: '<&> comment '.repeat(250),
      },
      CONTACT,
    );
    await t.drain();
    inject(t.bot.ctx, 1, { expectedVersion: 1 }, STAFF);
    await t.drain();
    const status = replyOf(await t.command(STRANGER_ID, '/cmd-status', 'SUB-1'));

    const messages = t.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' || c.method === 'chat.update',
    );
    const card = messages.find((c) => c.method === 'chat.postMessage' && c.args.channel === UMD_CHANNEL);
    const edit = messages.find((c) => c.method === 'chat.update');
    expect(card).toBeDefined();
    expect(edit).toBeDefined();
    for (const message of messages) {
      const where = `${message.method} to ${String(message.args.channel)}`;
      expect(String(message.args.text ?? ''), where).not.toBe('');
      expect(String(message.args.text).length, where).toBeLessThanOrEqual(4000);
      expect(kitProblems((message.args.blocks ?? []) as KitBlock[], 50), where).toEqual([]);
    }
    expect(String(card?.args.text)).toContain('[SECURITY] SUB-1');
    expect(JSON.stringify(edit?.args.blocks)).toContain('more tickets');
    expect(status.text).toBe('[SECURITY] SUB-1: Solved');
    expect(kitProblems(status.blocks ?? [], 50)).toEqual([]);
  });

  it('when the one-line command lists 2001 packages, then it is refused with the limit and nothing is stored', async () => {
    t = await startTestBot();
    const packages = Array.from({ length: 2001 }, (_, i) => `pkg-${i}`).join(' ');

    const response = await t.command(CONTACT_ID, '/cmd-submit', `ARC 6.21.1 https://x.org/n ${packages}`);

    expect(replyOf(response).response_type).toBe('ephemeral');
    expect(replyOf(response).text).toContain('at most 2000 packages');
    expect(replyOf(response).text).toContain('you listed 2001');
    expect(count(t).submissions).toBe(0);
    expect(count(t).outbox).toBe(0);
  });
});

describe('with no UMD staff configured', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await startTestBot({ env: { UMD_STAFF_USER_IDS: '' } });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('when the app starts without staff, then it still answers and contacts can submit', async () => {
    const help = await t.command(CONTACT_ID, '/cmd-help');
    const submitted = await t.command(CONTACT_ID, '/cmd-submit', ONE_LINE);

    expect(help.status).toBe(200);
    expect(replyOf(submitted).text).toContain('as *SUB-1*');
  });

  it('when anyone clicks a move button, then it is refused (fails closed) and nothing moves', async () => {
    submit(
      t.bot.ctx,
      { product: 'ARC', version: '7.0.0', releaseNotes: 'https://x.org/7', packages: ['arc'] },
      CONTACT,
    );

    for (const userId of [STAFF_ID, CONTACT_ID, STRANGER_ID]) {
      const response = await t.click(userId, 'move:inject', INJECT_SUB_1, {
        responseUrl: t.slack.responseUrl(`move-${userId}`),
      });
      expect(response.status).toBe(200);
    }
    const calls = await t.slack.waitFor(
      (all) =>
        [STAFF_ID, CONTACT_ID, STRANGER_ID].every((u) =>
          all.some((c) => c.method === `response_url:move-${u}`),
        ),
      3000,
    );

    for (const userId of [STAFF_ID, CONTACT_ID, STRANGER_ID])
      expect(String(methodCalls(calls, `response_url:move-${userId}`)[0]?.args.text)).toContain(
        'Only the UMD team can use “Inject”',
      );
    expect(methodCalls(calls, 'views.open')).toEqual([]);
    expect(findSubmission(t.bot.ctx.db, 1)?.state.status).toBe('open');
    expect(count(t).tickets).toBe(0);
    expect(count(t).refusals).toBe(3);
  });

  it('when the former staff member asks for a Product ID card, then there is no Edit button', async () => {
    const reply = replyOf(await t.command(STAFF_ID, '/cmd-product', 'ARC'));

    expect(reply.text).toBe('Product ID card: ARC');
    expect(actionIds(reply.blocks)).toEqual([]);
  });
});

describe('GET /healthz', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await startTestBot();
  });
  afterEach(async () => {
    await t.stop();
  });

  const health = async () => {
    const response = await fetch(`http://127.0.0.1:${t.bot.port}/healthz`, {
      signal: AbortSignal.timeout(3000),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as {
        ok: boolean;
        database: string;
        outbox: { pending: number; dead: number; oldestPendingAt: string | null };
      },
    };
  };

  it('when the app runs, then /healthz answers 200 JSON with the database ok and the outbox counts', async () => {
    const idle = await health();
    // Through the services, as the CLI would: the card is queued and waits for the worker's next pass.
    submit(
      t.bot.ctx,
      { product: 'ARC', version: '7.0.0', releaseNotes: 'https://x.org/7', packages: ['arc'] },
      CONTACT,
    );
    const queued = await health();
    await t.drain();
    const sent = await health();

    expect(idle).toMatchObject({
      status: 200,
      type: expect.stringContaining('application/json'),
      body: { ok: true, database: 'ok', outbox: { pending: 0, dead: 0, oldestPendingAt: null } },
    });
    expect(queued.body).toMatchObject({ ok: true, outbox: { pending: 1, dead: 0 } });
    expect(typeof queued.body.outbox.oldestPendingAt).toBe('string');
    expect(sent.body).toMatchObject({ ok: true, outbox: { pending: 0, dead: 0 } });
  });

  // FIXED (src/server.ts): /healthz read the database ("select 1") and said ok while no write could succeed.
  it('when a write would fail now (another process holds the write lock), then /healthz answers 503, and 200 once it is free', async () => {
    const other = new Database(join(t.dir, 'cmd-bot.sqlite'), { timeout: 0 });
    try {
      // Between two of the bot's turns: a turn may hold the lock for its group commit this very moment.
      for (;;) {
        try {
          other.exec('BEGIN IMMEDIATE');
          break;
        } catch {
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      const locked = await health();
      other.exec('ROLLBACK');
      const free = await health();

      expect(locked).toMatchObject({
        status: 503,
        type: expect.stringContaining('application/json'),
        body: { ok: false, database: 'database is locked' },
      });
      expect(free).toMatchObject({ status: 200, body: { ok: true, database: 'ok' } });
    } finally {
      other.close();
    }
  });
});
