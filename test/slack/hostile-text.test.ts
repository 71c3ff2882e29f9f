/**
 * No one's words become live markup in Slack. Hostile text goes into every field a person (or a file) fills in —
 * product cards, versions, comments, staff reasons, delay explanations, early-adopter sites and details — and the
 * whole process runs through the real app: every message kind the bot sends (cards and their edits, thread
 * replies, DMs and channel notices, the staged-rollout announcements, combined notices, the digest, the Home
 * tabs, modals, and the ephemeral answers to commands and clicks). Then every rendered text that reached the
 * fake Slack, and every answer in an HTTP reply, is read: none may hold a `<!…>`, `<@…>` or `<http…>` that a
 * person wrote. Each hostile string also shows, escaped, where the person's words belong.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/db/repositories/outbox.js';
import { findProductByName } from '../../src/db/repositories/products.js';
import { findTicket } from '../../src/db/repositories/tickets.js';
import { checkDelays, registerProduct } from '../../src/services/index.js';
import { type Block, buttonValue } from '../support/blocks.js';
import { EA_CHANNEL, field, STAFF_ID, startTestBot, type TestBot, UMD_CHANNEL } from '../support/bot.js';
import { qcFieldsAllOk } from '../support/qc.js';

/** What a person could type to ping a channel, mention someone, or disguise a link. */
const LIVE = ['<!channel>', '<!here>', '<@UEVIL123>', '<https://evil.example|install the fix>'];
const HOSTILE = `hi ${LIVE.join(' ')} & bye`;
/** Where a hostile string must not appear unescaped: the opening of each of those. */
const FORBIDDEN = [/<!channel/, /<!here/, /<@UEVIL/, /<https:\/\/evil/];
const ESCAPED = '&lt;!channel&gt;';

const PRODUCT = 'Evil <!channel> <@UEVIL123>';
const ADOPTER = 'UADOPTER1';
const DEAD_CHANNEL = 'C0DEADTEAM';
const PLATFORMS = ['el9/x86_64', 'el8/x86_64', 'ubuntu22/amd64', 'p4/x', 'p5/x', 'p6/x', 'p7/x'];

let t: TestBot;
/** The bodies of the app's HTTP answers (a command's ephemeral reply, a modal's answer). */
const answers: unknown[] = [];

beforeEach(async () => {
  answers.length = 0;
  t = await startTestBot({
    seedProducts: false,
    env: {
      PLATFORMS: PLATFORMS.join(','),
      DIGEST_TIME: '09:00',
      DELAY_NOTICE_HOLD_HOURS: '0',
      OUTBOX_MAX_ATTEMPTS: '1',
    },
  });
});

afterEach(async () => {
  await t.stop();
});

/** Every text Slack would render in a Web API call or an answer: `text`, and each text object in blocks/views. */
function renderedTexts(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return key === 'text' ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => renderedTexts(item, key));
  if (typeof value !== 'object' || value === null) return [];
  // What Slack shows as typed, not as markup: an input's current value, values sent back, metadata.
  const skip = new Set(['initial_value', 'value', 'private_metadata', 'metadata', 'action_id', 'block_id']);
  return Object.entries(value).flatMap(([k, v]) => (skip.has(k) ? [] : renderedTexts(v, k)));
}

const answer = async (response: Promise<{ json: unknown; status: number }>) => {
  const { json, status } = await response;
  expect(status).toBe(200);
  answers.push(json);
  await t.drain();
  return json;
};

const lastView = () =>
  t.slack.callsTo('views.open').at(-1)?.args.view as { callback_id: string; private_metadata: string };

describe('hostile text', () => {
  it('when every field people fill in holds pings and disguised links, then no message the bot sends makes them live', async () => {
    const staff = { userId: STAFF_ID, staff: true };
    // A card with no contact: its notices reach the submitter only, and the UMD channel is warned.
    registerProduct(
      t.bot.ctx,
      {
        name: PRODUCT,
        team: HOSTILE,
        description: HOSTILE,
        teamLeader: HOSTILE,
        earlyAdopterSites: ['SITE <!here>', 'SITE-B'],
        platforms: PLATFORMS,
      },
      staff,
    );
    // A second product whose team channel cannot be reached: its notices die, and the UMD channel hears of it.
    registerProduct(
      t.bot.ctx,
      { name: 'Evil<!here>', platforms: ['el9/x86_64'], contactChannel: DEAD_CHANNEL },
      staff,
    );
    t.slack.respondWith('chat.postMessage', (args) =>
      args.channel === DEAD_CHANNEL ? { body: { ok: false, error: 'channel_not_found' } } : undefined,
    );

    // Submitted by form (the version has no spaces, so it passes), and by the one-line form, as Slack encodes
    // what people type in a command.
    await answer(t.command(STAFF_ID, '/cmd-submit'));
    await submitByForm('<!channel>');
    await answer(
      t.command(
        STAFF_ID,
        '/cmd-submit',
        'Evil&lt;!here&gt; 2.0&amp;&lt;!channel&gt; https://example.org/n pkg-a platforms=el9/x86_64',
      ),
    );

    // Inject with a forged assignee: refused beside the field, nothing injected; then for real.
    await answer(
      t.click(STAFF_ID, 'move:inject', buttonValue(cardOf(1).blocks, 'move:inject', 'submission:SUB-1')),
    );
    const view = lastView();
    const forged = await answer(
      t.submitView(STAFF_ID, view.callback_id, view.private_metadata, {
        platforms: field.checks(PLATFORMS),
        assignee: field.user('U1> <!channel'),
      }),
    );
    expect(forged).toMatchObject({ response_action: 'errors', errors: { assignee: expect.any(String) } });
    expect(findTicket(t.bot.ctx.db, 1)).toBeNull();
    await answer(
      t.submitView(STAFF_ID, view.callback_id, view.private_metadata, {
        platforms: field.checks(PLATFORMS),
        assignee: field.user(STAFF_ID),
      }),
    );

    // Staff reasons on tickets: waiting, resume, failed verification, rejected, superseded; then staged rollout.
    t.clock.set('2027-03-02T10:00:00Z');
    await move(1, 'TKT-1', 'wait_for_provider', { needed: field.text(HOSTILE) });
    await move(1, 'TKT-1', 'resume');
    await move(1, 'TKT-1', 'start_verification');
    await move(1, 'TKT-1', 'fail_verification', { reason: field.text(HOSTILE) });
    await move(1, 'TKT-3', 'start_verification');
    await move(1, 'TKT-3', 'reject', { reason: field.text(HOSTILE) });
    await move(1, 'TKT-4', 'supersede', { supersededBy: field.text(''), reason: field.text(HOSTILE) });
    await move(1, 'TKT-7', 'wait_for_provider', { needed: field.text(HOSTILE) });
    await move(1, 'TKT-2', 'start_verification');
    await move(1, 'TKT-2', 'pass_verification', {
      reportUrl: field.text('https://example.org/r?x=<!here>|y'),
      ...qcFieldsAllOk(),
      'qc:QC_SEC_5': field.select('warning'),
      'qcnote:QC_SEC_5': field.text(HOSTILE),
    });
    const announced = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === EA_CHANNEL);
    expect(announced).toBeDefined();
    // An early adopter's report, with a hostile site and details.
    await answer(
      t.click(ADOPTER, 'ea_report:problem', buttonValue(announced?.args.blocks, 'ea_report:problem')),
    );
    const report = lastView();
    await answer(
      t.submitView(ADOPTER, report.callback_id, report.private_metadata, {
        site: field.select('s:SITE <!here>'),
        otherSite: field.text(''),
        platform: field.select('el8/x86_64'),
        installKind: field.radio('upgrade'),
        upgradedFrom: field.text(HOSTILE.slice(0, 64)),
        tested: field.text(HOSTILE),
        details: field.text(HOSTILE),
        workaround: field.text(HOSTILE),
      }),
    );
    // A platform that joins staged rollout after the announcement gets its own message.
    await move(1, 'TKT-5', 'start_verification');
    await move(1, 'TKT-5', 'pass_verification', {
      reportUrl: field.text('https://example.org/report5'),
      ...qcFieldsAllOk(),
    });
    // The second submission waits for its provider (its dead channel), and a newer release may supersede SUB-1.
    await move(2, 'SUB-2', 'wait_for_provider', { needed: field.text(HOSTILE) });
    await move(2, 'SUB-2', 'resume');
    await submitByForm('v2<!here>');

    // The delay check over the weeks: injection warnings and overdue, early-adopter silence, the provider
    // reminded, deadline warnings, the digest; SUB-1's delays, then SUB-3's seven tickets delayed at once.
    for (const at of ['2027-03-05T10:00:00Z', '2027-03-09T10:00:00Z', '2027-03-10T10:00:00Z'])
      await check(at);
    await move(3, 'SUB-3', 'inject', { platforms: field.checks(PLATFORMS), assignee: field.user(null) });
    for (const at of ['2027-03-17T10:00:00Z', '2027-03-20T10:00:00Z']) await check(at);
    await move(1, 'TKT-2', 'mark_ready', { reportUrl: field.text('https://example.org/sr') });
    for (const at of ['2027-03-30T10:00:00Z', '2027-04-05T10:00:00Z', '2027-04-20T10:00:00Z'])
      await check(at);
    await move(1, 'TKT-6', 'explain_delay', { category: field.select('other'), text: field.text(HOSTILE) });
    await move(2, 'SUB-2', 'reject', { reason: field.text(HOSTILE) });

    // Staged rollout over: a late report is turned away, naming the release.
    await move(1, 'TKT-5', 'reject', { reason: field.text(HOSTILE) });
    await answer(t.click(ADOPTER, 'ea_report:works', buttonValue(announced?.args.blocks, 'ea_report:works')));
    expect(JSON.stringify(t.slack.callsTo(`response_url:click-${ADOPTER}`).at(-1)?.args)).toContain(
      'not in staged rollout any more',
    );

    // What anyone can ask for.
    for (const [command, text] of [
      ['/cmd-status', 'SUB-1'],
      ['/cmd-status', 'TKT-1'],
      ['/cmd-status', 'Evil&lt;!here&gt;'],
      ['/cmd-list', ''],
      ['/cmd-list', 'mine'],
      ['/cmd-list', '&lt;!channel&gt;'],
      ['/cmd-product', 'Evil &lt;!channel&gt; &lt;@UEVIL123&gt;'],
      ['/cmd-product', '&lt;!here&gt; missing'],
      ['/cmd-product', ''],
    ] as const) {
      await answer(t.command(STAFF_ID, command, text));
    }
    await answer(
      t.event({ type: 'app_home_opened', user: STAFF_ID, channel: 'D1', tab: 'home', event_ts: '1.1' }),
    );
    await answer(
      t.event({ type: 'app_home_opened', user: ADOPTER, channel: 'D2', tab: 'home', event_ts: '1.2' }),
    );

    // Every kind of notice went out, through every kind of call.
    const topics = new Set(listOutbox(t.bot.ctx.db).map((row) => row.payload.topic));
    expect([...topics].sort()).toEqual(expect.arrayContaining(ALL_TOPICS));
    const methods = new Set(t.slack.calls.map((call) => call.method.replace(/:.*$/, '')));
    expect([...methods]).toEqual(
      expect.arrayContaining([
        'chat.postMessage',
        'chat.update',
        'views.open',
        'views.publish',
        'response_url',
      ]),
    );

    const texts = [...t.slack.calls.map((call) => call.args), ...answers].flatMap((value) =>
      renderedTexts(value),
    );
    const live = texts.filter((text) => FORBIDDEN.some((forbidden) => forbidden.test(text)));
    expect(live).toEqual([]);
    // The words are there, escaped, where they belong.
    expect(texts.filter((text) => text.includes(ESCAPED)).length).toBeGreaterThan(30);
  });
});

/** Every notice topic the bot queues (src/services), each of which this test makes happen. */
const ALL_TOPICS = [
  'card_lacks_contact',
  'card_update',
  'combined',
  'deadline_warning',
  'delay_explained',
  'delay_explanation_needed',
  'delayed',
  'delivery_failed',
  'digest',
  'early_adopter_announcement',
  'early_adopter_platform_added',
  'early_adopter_silence',
  'injected',
  'injection_overdue',
  'injection_warning',
  'possible_supersede',
  'ready',
  'rejected',
  'staged_rollout_started',
  'submission_rejected',
  'submission_waiting',
  'superseded',
  'verification_failed',
  'waiting',
  'waiting_reminder',
];

async function submitByForm(version: string) {
  await answer(
    t.submitView(STAFF_ID, 'submit_release', '{}', {
      // The form's option for the card carries its id, as submitModal builds it.
      product: field.select(String(findProductByName(t.bot.ctx.db, PRODUCT)?.id)),
      version: field.text(version),
      releaseNotes: field.text('https://example.org/notes?a=1&b=<!here>|install'),
      packages: field.text('pkg-a\npkg-b'),
      distribution: field.select('UMD-5'),
      platforms: field.multi(PLATFORMS),
      comment: field.text(HOSTILE),
    }),
  );
}

/** Clicks a move on the submission's current card (a ticket's, or the submission's own) and submits its modal. */
async function move(submissionId: number, subject: string, event: string, values = {}) {
  const blockId = subject.startsWith('TKT') ? `ticket:${subject}` : `submission:${subject}`;
  const actionId = `move:${event}`;
  await answer(t.click(STAFF_ID, actionId, buttonValue(cardOf(submissionId).blocks, actionId, blockId)));
  const view = lastView();
  const response = await answer(t.submitView(STAFF_ID, view.callback_id, view.private_metadata, values));
  expect(response, `${event} on ${subject}`).toBeNull();
}

async function check(at: string) {
  t.clock.set(at);
  checkDelays(t.bot.ctx, t.clock.now());
  await t.drain();
}

function cardOf(submissionId: number): { blocks: Block[] } {
  const card = t.bot.ctx.db.$client
    .prepare('select ts from cards where submission_id = ?')
    .get(submissionId) as { ts: string } | undefined;
  if (!card) throw new Error(`SUB-${submissionId} has no card`);
  const edit = t.slack
    .callsTo('chat.update')
    .filter((call) => call.args.ts === card.ts)
    .at(-1);
  const posted = t.slack
    .callsTo('chat.postMessage')
    .find(
      (call) =>
        call.args.ts === card.ts ||
        (call.args.channel === UMD_CHANNEL &&
          call.args.thread_ts === undefined &&
          String(call.args.text).startsWith(`SUB-${submissionId} `)),
    );
  return (edit ?? posted)?.args as { blocks: Block[] };
}
