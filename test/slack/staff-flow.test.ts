/**
 * The UMD staff's side of the process, end to end: signed requests into the real app, the outbox sent to the
 * fake Slack by the app's own worker, and both what reached Slack and what the database holds checked. Buttons
 * are always clicked with the value found on the card (or announcement) the app really posted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyOf, listRefusals } from '../../src/db/repositories/audit.js';
import { allEarlyAdopterReports } from '../../src/db/repositories/early-adopter-reports.js';
import { listOutbox } from '../../src/db/repositories/outbox.js';
import { findSubmission } from '../../src/db/repositories/submissions.js';
import { findTicket, listTicketsOfSubmission } from '../../src/db/repositories/tickets.js';
import { checkDelays } from '../../src/services/index.js';
import { buttonsIn, buttonValue } from '../support/blocks.js';
import {
  CONTACT_ID,
  EA_CHANNEL,
  field,
  STAFF_2_ID,
  STAFF_ID,
  STRANGER_ID,
  startTestBot,
  type TestBot,
  UMD_CHANNEL,
} from '../support/bot.js';
import { cardDriver, type OpenedView, type Values } from '../support/card-driver.js';
import type { SlackCall } from '../support/fake-slack.js';
import { qcFieldsAllOk } from '../support/qc.js';

const ONE_LINE = 'ARC 6.21.1 <https://www.nordugrid.org/arc/6.21.1|notes> nordugrid-arc nordugrid-arc-client';
const BOTH_PLATFORMS = ['el9/x86_64', 'el8/x86_64'];
const EARLY_ADOPTER_ID = 'UEARLY1';
const CONTACT_CHANNEL = 'C0ARCTEAM';

let t: TestBot;

afterEach(async () => {
  await t.stop();
});

const { cardLocation, currentCard, lastOpenedView, responsesTo, sendOutbox, openFrom, openMove, move } =
  cardDriver(() => t);

// ---- reading what reached the fake Slack -------------------------------------------------------------------

const threadReplies = (submissionId = 1): SlackCall[] =>
  t.slack.callsTo('chat.postMessage').filter((call) => call.args.thread_ts === cardLocation(submissionId).ts);

const postsTo = (channel: string): SlackCall[] =>
  t.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.args.channel === channel && call.args.thread_ts === undefined);

// ---- driving the app the way people do -----------------------------------------------------------------

async function submitRelease(): Promise<void> {
  await t.command(CONTACT_ID, '/cmd-submit', ONE_LINE);
  await sendOutbox();
}

const injectBoth = () =>
  move(STAFF_ID, 'move:inject', 'submission:SUB-1', {
    platforms: field.checks(BOTH_PLATFORMS),
    assignee: field.user(STAFF_ID),
  });

const startVerification = (ticket = 'TKT-1') => move(STAFF_ID, 'move:start_verification', `ticket:${ticket}`);

const passVerification = (ticket = 'TKT-1', link = 'https://wiki.egi.eu/reports/arc-6.21.1-el9') =>
  move(STAFF_ID, 'move:pass_verification', `ticket:${ticket}`, {
    reportUrl: field.text(link),
    ...qcFieldsAllOk(),
  });

/** Submitted, injected on both platforms, TKT-1 verified: in staged rollout, announced, outbox sent. */
async function inStagedRollout(): Promise<void> {
  await submitRelease();
  t.clock.set('2027-03-02T10:00:00Z');
  await injectBoth();
  t.clock.set('2027-03-03T10:00:00Z');
  await startVerification();
  t.clock.set('2027-03-05T10:00:00Z');
  await passVerification();
}

const announcement = () => {
  const [first] = postsTo(EA_CHANNEL);
  if (!first) throw new Error('no staged-rollout announcement was posted');
  return first.args;
};

/** A report's form as an early adopter at SITE-A (on the product's card) fills it in; `changes` replace fields. */
const reportValues = (changes: Values = {}): Values => ({
  site: field.select('s:SITE-A'),
  otherSite: field.text(''),
  platform: field.select('el9/x86_64'),
  installKind: field.radio('new'),
  upgradedFrom: field.text(''),
  tested: field.text('job submission through the CE'),
  details: field.text(''),
  ...changes,
});

const openReport = (userId: string, outcome: 'works' | 'problem'): Promise<OpenedView> =>
  openFrom(announcement().blocks, userId, `ea_report:${outcome}`);

// ===========================================================================================================

describe('with the UMD staff listed by id', () => {
  beforeEach(async () => {
    t = await startTestBot();
  });

  describe('The outbox helper', () => {
    // FIXED (src/outbox/worker.ts, OutboxWorker.drain): drain() calls runOnce() without waiting for the pass the
    // worker is already running (every commit calls wake()), so both passes read the same pending rows and
    // both send them. Seen: two chat.postMessage of the SUB-1 card to C0UMDTEAM, and the card table keeps
    // the second ts, leaving the first card in the channel with live buttons that are never updated. Every
    // pass now runs in one chain, which sendOutbox() relies on too.
    it('when the outbox is drained while the worker is already sending, then each message goes out once', async () => {
      t.slack.setDelay(200); // Slack is a little slow: the worker's own send is still under way
      await t.command(CONTACT_ID, '/cmd-submit', ONE_LINE);

      await t.drain();
      await sendOutbox();

      expect(postsTo(UMD_CHANNEL)).toHaveLength(1);
    });
  });

  describe('Inject from the card', () => {
    it('when staff click Inject on the card, then a move modal opens with every platform of the submission ticked', async () => {
      await submitRelease();

      await t.click(STAFF_ID, 'move:inject', buttonValue(currentCard().blocks, 'move:inject'));

      const view = lastOpenedView();
      expect(view.callback_id).toBe('move');
      expect(JSON.parse(view.private_metadata)).toEqual({ s: 'SUB-1', v: 1, e: 'inject' });
      const platforms = view.blocks.find((block) => block.block_id === 'platforms')?.element;
      expect(platforms).toMatchObject({
        type: 'checkboxes',
        options: BOTH_PLATFORMS.map((value) => ({ value })),
        initial_options: BOTH_PLATFORMS.map((value) => ({ value })),
      });
      expect(view.blocks.some((block) => block.block_id === 'assignee')).toBe(true);
      expect(responsesTo(STAFF_ID)).toEqual([]);
    });

    it('when staff submit the Inject modal, then there is one Unverified ticket per platform and the submission is solved', async () => {
      await submitRelease();
      t.clock.set('2027-03-02T10:00:00Z');
      const view = await openMove(STAFF_ID, 'move:inject', 'submission:SUB-1');

      const response = await t.submitView(STAFF_ID, 'move', view.private_metadata, {
        platforms: field.checks(BOTH_PLATFORMS),
        assignee: field.user(STAFF_ID),
      });

      expect(response.status).toBe(200);
      expect(response.json).toBeNull();
      expect(findSubmission(t.bot.ctx.db, 1)?.state).toMatchObject({ status: 'solved', version: 2 });
      expect(
        listTicketsOfSubmission(t.bot.ctx.db, 1).map((ticket) => ({
          id: ticket.id,
          platform: ticket.platform,
          status: ticket.state.status,
          assignee: ticket.assignee,
          packages: ticket.packages,
        })),
      ).toEqual([
        {
          id: 1,
          platform: 'el9/x86_64',
          status: 'unverified',
          assignee: STAFF_ID,
          packages: ['nordugrid-arc', 'nordugrid-arc-client'],
        },
        {
          id: 2,
          platform: 'el8/x86_64',
          status: 'unverified',
          assignee: STAFF_ID,
          packages: ['nordugrid-arc', 'nordugrid-arc-client'],
        },
      ]);
      expect(historyOf(t.bot.ctx.db, 'submission', 1).map((row) => [row.event, row.actor])).toEqual([
        ['submit', CONTACT_ID],
        ['inject', STAFF_ID],
      ]);
    });

    it('when the injection is sent, then the card is edited to show the tickets with their buttons and its thread says who injected what', async () => {
      await submitRelease();
      const repliesBefore = threadReplies().length;

      await injectBoth();

      const { channel, ts } = cardLocation();
      const [update, ...moreUpdates] = t.slack.callsTo('chat.update');
      expect(moreUpdates).toEqual([]);
      expect(update?.args).toMatchObject({ channel: UMD_CHANNEL, ts });
      expect(channel).toBe(UMD_CHANNEL);
      expect(String(update?.args.text)).toContain('SUB-1 ARC 6.21.1 (UMD-5): Solved');
      const blocks = JSON.stringify(update?.args.blocks);
      expect(blocks).toContain('*TKT-1* · el9/x86_64 · *Unverified*');
      expect(blocks).toContain('*TKT-2* · el8/x86_64 · *Unverified*');
      expect(buttonsIn(update?.args.blocks, 'ticket:TKT-1').map((button) => button.action_id)).toContain(
        'move:start_verification',
      );
      expect(buttonsIn(update?.args.blocks, 'ticket:TKT-2').map((button) => button.action_id)).toContain(
        'move:start_verification',
      );
      expect(buttonsIn(update?.args.blocks, 'submission:SUB-1')).toEqual([]);
      const replies = threadReplies().slice(repliesBefore);
      expect(replies.map((reply) => reply.args.text)).toEqual([
        '<@USTAFF1> injected SUB-1: TKT-1 (el9/x86_64), TKT-2 (el8/x86_64).',
      ]);
    });

    it('when the injection is sent, then the contact and the product channel are told the ticket ids', async () => {
      await submitRelease();

      await injectBoth();

      const expected =
        'ARC 6.21.1 (UMD-5) (SUB-1) is injected and solved. Tracking tickets: TKT-1 (el9/x86_64), TKT-2 (el8/x86_64).';
      expect(postsTo(CONTACT_ID).map((call) => call.args.text)).toEqual([expected]);
      expect(postsTo(CONTACT_CHANNEL).map((call) => call.args.text)).toEqual([expected]);
      expect(listOutbox(t.bot.ctx.db).every((row) => row.sentAt !== null)).toBe(true);
    });
  });

  describe('From verification to Ready for release', () => {
    it('when staff start verification from the card, then the ticket is in Verification and the card offers Verification passed', async () => {
      await submitRelease();
      await injectBoth();
      t.clock.set('2027-03-03T10:00:00Z');

      await startVerification();

      expect(findTicket(t.bot.ctx.db, 1)?.state).toMatchObject({ status: 'verification', version: 2 });
      expect(findTicket(t.bot.ctx.db, 2)?.state.status).toBe('unverified');
      const actions = buttonsIn(currentCard().blocks, 'ticket:TKT-1').map((button) => button.action_id);
      expect(actions).toEqual(expect.arrayContaining(['move:pass_verification', 'move:fail_verification']));
      expect(actions).not.toContain('move:start_verification');
      expect(threadReplies().at(-1)?.args.text).toBe(
        '<@USTAFF1>: Start verification on TKT-1 (el9/x86_64), now Verification.',
      );
    });

    it('when verification passes with a report link, then the ticket is in Staged Rollout and the product team hears it', async () => {
      await submitRelease();
      await injectBoth();
      await startVerification();
      t.clock.set('2027-03-05T10:00:00Z');

      await passVerification('TKT-1', 'https://wiki.egi.eu/reports/arc-6.21.1-el9');

      expect(findTicket(t.bot.ctx.db, 1)?.state).toMatchObject({
        status: 'staged_rollout',
        verificationReportUrl: 'https://wiki.egi.eu/reports/arc-6.21.1-el9',
      });
      const told =
        'TKT-1 ARC 6.21.1 (UMD-5) on el9/x86_64 passed verification (report: https://wiki.egi.eu/reports/arc-6.21.1-el9) and is now in Staged Rollout with early-adopter sites.';
      expect(postsTo(CONTACT_ID).at(-1)?.args.text).toBe(told);
      expect(postsTo(CONTACT_CHANNEL).at(-1)?.args.text).toBe(told);
      expect(JSON.stringify(currentCard().blocks)).toContain(
        '<https://wiki.egi.eu/reports/arc-6.21.1-el9|verification report>',
      );
    });

    it('when verification passes, then the early adopters’ channel gets one announcement with Installed, works and Problem found', async () => {
      await submitRelease();
      await injectBoth();
      await startVerification();

      await passVerification();

      const posts = postsTo(EA_CHANNEL);
      expect(posts).toHaveLength(1);
      expect(String(posts[0]?.args.text)).toBe('Staged rollout: ARC 6.21.1 (SUB-1) on el9/x86_64');
      expect(
        buttonsIn(posts[0]?.args.blocks).map((button) => [button.text?.text, button.action_id, button.value]),
      ).toEqual([
        ['Installed, works', 'ea_report:works', 'SUB-1'],
        ['Problem found', 'ea_report:problem', 'SUB-1'],
      ]);
    });

    // One announcement per submission, listing the platforms in staged rollout when it is sent; a platform that
    // passes after it went out gets a message of its own, or its early adopters would never hear of it.
    it('when the second platform passes after the announcement went out, then the early adopters get one more message for that platform', async () => {
      await submitRelease();
      await injectBoth();
      await startVerification('TKT-1');
      await startVerification('TKT-2');
      await passVerification('TKT-1');

      await passVerification('TKT-2');

      expect(findTicket(t.bot.ctx.db, 2)?.state.status).toBe('staged_rollout');
      const posts = postsTo(EA_CHANNEL);
      expect(posts.map((post) => String(post.args.text))).toEqual([
        'Staged rollout: ARC 6.21.1 (SUB-1) on el9/x86_64',
        'Staged rollout: ARC 6.21.1 (SUB-1) now also on el8/x86_64',
      ]);
      const added = JSON.stringify(posts[1]?.args.blocks);
      expect(added).toContain('is now also ready for staged rollout on *el8/x86_64*');
      expect(added).toContain('*el8/x86_64:* nordugrid-arc, nordugrid-arc-client');
      expect(added).not.toContain('el9/x86_64');
      expect(
        buttonsIn(posts[1]?.args.blocks).map((button) => [button.text?.text, button.action_id, button.value]),
      ).toEqual([
        ['Installed, works', 'ea_report:works', 'SUB-1'],
        ['Problem found', 'ea_report:problem', 'SUB-1'],
      ]);
    });

    it('when an early adopter clicks Problem found, then a short form asks for the site, platform, install, what was tested, what happened and any workaround', async () => {
      await inStagedRollout();

      const view = await openReport(EARLY_ADOPTER_ID, 'problem');

      expect(view.callback_id).toBe('ea_report');
      expect(JSON.parse(view.private_metadata)).toEqual({ sub: 1, outcome: 'problem' });
      expect(view.blocks.map((block) => block.block_id).slice(1)).toEqual([
        'site',
        'otherSite',
        'platform',
        'installKind',
        'upgradedFrom',
        'tested',
        'details',
        'workaround',
      ]);
      const byId = new Map(view.blocks.map((block) => [block.block_id, block]));
      // The card's early-adopter site, and Another site; nothing chosen for someone who never reported.
      expect(byId.get('site')?.element).toMatchObject({
        type: 'static_select',
        options: [{ value: 's:SITE-A' }, { value: 'other' }],
      });
      expect(byId.get('site')?.element).not.toHaveProperty('initial_option');
      expect(byId.get('platform')?.element).toMatchObject({
        type: 'static_select',
        options: [{ value: 'el9/x86_64' }],
        initial_option: { value: 'el9/x86_64' },
      });
      expect(byId.get('installKind')?.element).toMatchObject({
        type: 'radio_buttons',
        options: [{ value: 'new' }, { value: 'upgrade' }],
      });
      expect(byId.get('details')).toMatchObject({ type: 'input', optional: false });
      expect(byId.get('workaround')).toMatchObject({ type: 'input', optional: true });
    });

    it('when an early adopter sends an upgrade without its version and a problem without what happened, then each field says what is missing and nothing is stored', async () => {
      await inStagedRollout();
      const view = await openReport(EARLY_ADOPTER_ID, 'problem');

      const response = await t.submitView(EARLY_ADOPTER_ID, view.callback_id, view.private_metadata, {
        ...reportValues({ upgradedFrom: field.text(' '), details: field.text('   ') }),
        installKind: field.radio('upgrade'),
      });

      expect(response.json).toEqual({
        response_action: 'errors',
        errors: {
          upgradedFrom: 'Give the version you upgraded from.',
          details: 'Describe what happened.',
        },
      });
      expect(allEarlyAdopterReports(t.bot.ctx.db)).toEqual([]);
    });

    it('when an early adopter chooses Another site and leaves its name empty, then that field asks for it', async () => {
      await inStagedRollout();
      const view = await openReport(EARLY_ADOPTER_ID, 'works');

      const response = await t.submitView(
        EARLY_ADOPTER_ID,
        view.callback_id,
        view.private_metadata,
        reportValues({ site: field.select('other'), otherSite: field.text('') }),
      );

      expect(response.json).toEqual({
        response_action: 'errors',
        errors: { otherSite: 'Give the name of your site.' },
      });
    });

    it('when an early adopter sends a problem with a workaround, then it is stored, the thread says it and the card sums it up for the platform', async () => {
      await inStagedRollout();
      const view = await openReport(EARLY_ADOPTER_ID, 'problem');
      t.clock.set('2027-03-08T08:30:00Z');

      const response = await t.submitView(
        EARLY_ADOPTER_ID,
        view.callback_id,
        view.private_metadata,
        reportValues({
          installKind: field.radio('upgrade'),
          upgradedFrom: field.text('6.20.0'),
          details: field.text('arc-client segfaults on submit'),
          workaround: field.text('set\nsubmit_threads=1'),
        }),
      );
      await sendOutbox();

      expect(response.json).toMatchObject({
        response_action: 'update',
        view: { title: { text: 'Thank you' } },
      });
      expect(allEarlyAdopterReports(t.bot.ctx.db)).toEqual([
        expect.objectContaining({
          ticketId: 1,
          reporter: EARLY_ADOPTER_ID,
          site: 'SITE-A',
          platform: 'el9/x86_64',
          outcome: 'problem',
          installKind: 'upgrade',
          upgradedFrom: '6.20.0',
          tested: 'job submission through the CE',
          details: 'arc-client segfaults on submit',
          workaround: 'set\nsubmit_threads=1',
          at: new Date('2027-03-08T08:30:00Z'),
        }),
      ]);
      expect(JSON.stringify(currentCard().blocks)).toContain(
        '*Early-adopter reports*\\n*el9/x86_64:* problems at SITE-A (workaround given)"',
      );
      expect(threadReplies().at(-1)?.args.text).toBe(
        '<@UEARLY1> (SITE-A) reports on TKT-1 el9/x86_64: problem found (workaround: set submit_threads=1): arc-client segfaults on submit (upgrade from 6.20.0; tested: job submission through the CE)',
      );
    });

    it('when sites report works and problems, then the card edit names the sites per platform', async () => {
      await inStagedRollout();
      const view = await openReport(EARLY_ADOPTER_ID, 'works');
      await t.submitView(EARLY_ADOPTER_ID, view.callback_id, view.private_metadata, reportValues());
      const other = await openReport('UEARLY2', 'works');
      await t.submitView(
        'UEARLY2',
        other.callback_id,
        other.private_metadata,
        reportValues({ site: field.select('other'), otherSite: field.text('SITE-Z') }),
      );
      const problem = await openReport('UEARLY3', 'problem');
      await t.submitView(
        'UEARLY3',
        problem.callback_id,
        problem.private_metadata,
        reportValues({
          site: field.select('other'),
          otherSite: field.text('SITE-C'),
          details: field.text('slow'),
          workaround: field.text(''),
        }),
      );
      await sendOutbox();

      expect(JSON.stringify(currentCard().blocks)).toContain(
        '*el9/x86_64:* works at SITE-A, SITE-Z (not on the card) · problems at SITE-C (not on the card)',
      );
    });

    it('when the same early adopter reports again later, then the form already holds their site', async () => {
      await inStagedRollout();
      const first = await openReport(EARLY_ADOPTER_ID, 'problem');
      await t.submitView(
        EARLY_ADOPTER_ID,
        first.callback_id,
        first.private_metadata,
        reportValues({ details: field.text('arc-client segfaults on submit') }),
      );
      const elsewhere = await openReport('UEARLY2', 'works');
      await t.submitView(
        'UEARLY2',
        elsewhere.callback_id,
        elsewhere.private_metadata,
        reportValues({ site: field.select('other'), otherSite: field.text('SITE-Z') }),
      );
      t.clock.set('2027-03-10T09:00:00Z');

      const second = await openReport(EARLY_ADOPTER_ID, 'works');
      const third = await openReport('UEARLY2', 'works');

      const element = (view: OpenedView, id: string) => view.blocks.find((b) => b.block_id === id)?.element;
      expect(element(second, 'site')).toMatchObject({ initial_option: { value: 's:SITE-A' } });
      expect(element(second, 'otherSite')).not.toHaveProperty('initial_value');
      expect(element(third, 'site')).toMatchObject({ initial_option: { value: 'other' } });
      expect(element(third, 'otherSite')).toMatchObject({ initial_value: 'SITE-Z' });
      expect(JSON.parse(second.private_metadata)).toEqual({ sub: 1, outcome: 'works' });
    });

    it('when no site reported that it works and staff mark the ticket Ready, then the form warns them and the ticket and its history record it', async () => {
      await inStagedRollout();
      const problem = await openReport(EARLY_ADOPTER_ID, 'problem');
      await t.submitView(
        EARLY_ADOPTER_ID,
        problem.callback_id,
        problem.private_metadata,
        reportValues({ details: field.text('slow') }),
      );
      t.clock.set('2027-03-20T10:00:00Z');

      const form = await openMove(STAFF_ID, 'move:mark_ready', 'ticket:TKT-1');
      const response = await t.submitView(STAFF_ID, form.callback_id, form.private_metadata, {
        reportUrl: field.text(''),
      });
      await sendOutbox();

      expect(JSON.stringify(form.blocks)).toContain(
        ':warning: *No early-adopter site has reported \\"Installed, works\\" on el9/x86_64.*',
      );
      expect(response.json).toBeNull();
      expect(findTicket(t.bot.ctx.db, 1)).toMatchObject({
        readyWithoutWorksReport: true,
        state: { status: 'ready' },
      });
      expect(historyOf(t.bot.ctx.db, 'ticket', 1).at(-1)).toMatchObject({
        event: 'mark_ready',
        reason: 'No early-adopter site reported "Installed, works" on el9/x86_64',
      });
      expect(threadReplies().at(-1)?.args.text).toContain(
        'now Ready. No early-adopter site reported "Installed, works" on el9/x86_64',
      );
    });

    it('when a site reported that it works, then the Ready form has no warning and the ticket is Ready with its report', async () => {
      await inStagedRollout();
      const works = await openReport(EARLY_ADOPTER_ID, 'works');
      await t.submitView(EARLY_ADOPTER_ID, works.callback_id, works.private_metadata, reportValues());

      const form = await openMove(STAFF_ID, 'move:mark_ready', 'ticket:TKT-1');
      await t.submitView(STAFF_ID, form.callback_id, form.private_metadata, { reportUrl: field.text('') });

      expect(JSON.stringify(form.blocks)).not.toContain('No early-adopter site');
      expect(findTicket(t.bot.ctx.db, 1)).toMatchObject({
        readyWithoutWorksReport: false,
        state: { status: 'ready' },
      });
    });

    it('when staff mark the ticket Ready for release, then it is Ready, the product team is told and the card has no moves left for it', async () => {
      await inStagedRollout();
      t.clock.set('2027-03-20T10:00:00Z');

      const response = await move(STAFF_ID, 'move:mark_ready', 'ticket:TKT-1', {
        reportUrl: field.text('https://wiki.egi.eu/reports/arc-6.21.1-el9-rollout'),
      });

      expect(response.json).toBeNull();
      expect(findTicket(t.bot.ctx.db, 1)?.state).toMatchObject({
        status: 'ready',
        stagedRolloutReportUrl: 'https://wiki.egi.eu/reports/arc-6.21.1-el9-rollout',
      });
      const told = 'TKT-1 ARC 6.21.1 (UMD-5) on el9/x86_64 is Ready: it will be part of the next release.';
      expect(postsTo(CONTACT_ID).at(-1)?.args.text).toBe(told);
      expect(postsTo(CONTACT_CHANNEL).at(-1)?.args.text).toBe(told);
      expect(JSON.stringify(currentCard().blocks)).toContain('*TKT-1* · el9/x86_64 · *Ready*');
      expect(buttonsIn(currentCard().blocks, 'ticket:TKT-1')).toEqual([]);
    });

    it('when an early adopter clicks the announcement after the release left staged rollout, then they are told it takes no more reports', async () => {
      await inStagedRollout();
      await move(STAFF_ID, 'move:mark_ready', 'ticket:TKT-1', { reportUrl: field.text('') });
      const viewsBefore = t.slack.callsTo('views.open').length;

      await t.click(
        EARLY_ADOPTER_ID,
        'ea_report:works',
        buttonValue(announcement().blocks, 'ea_report:works'),
      );

      expect(t.slack.callsTo('views.open')).toHaveLength(viewsBefore);
      expect(responsesTo(EARLY_ADOPTER_ID).map((call) => call.args.text)).toEqual([
        'ARC 6.21.1 · UMD-5 is not in staged rollout any more, so it takes no more reports. Thank you!',
      ]);
    });
  });

  describe('Quality criteria in verification', () => {
    const statusBlocksOf = async (subject: string) => {
      const response = await t.command(STAFF_ID, '/cmd-status', subject);
      const reply = response.json as { blocks: { text?: { text: string } }[] };
      return reply.blocks.map((block) => block.text?.text ?? '');
    };

    it('when Verification passed leaves a critical criterion unanswered, then its field names it and nothing changes', async () => {
      await submitRelease();
      await injectBoth();
      await startVerification();
      const view = await openMove(STAFF_ID, 'move:pass_verification', 'ticket:TKT-1');
      expect(view.blocks.map((block) => block.block_id)).toEqual(
        expect.arrayContaining(['qc:QC_DOC_1', 'qcnote:QC_DOC_1', 'qc:QC_FUNC_2', 'qcnote:QC_FUNC_2']),
      );
      const outboxBefore = listOutbox(t.bot.ctx.db).length;
      const { 'qc:QC_DOC_1': _unanswered, ...answered } = qcFieldsAllOk();

      const response = await t.submitView(STAFF_ID, 'move', view.private_metadata, {
        reportUrl: field.text('https://wiki.egi.eu/reports/arc-6.21.1-el9'),
        ...answered,
        'qc:QC_DOC_2': field.select('not_applicable'),
      });

      expect(response.json).toEqual({
        response_action: 'errors',
        errors: {
          'qc:QC_DOC_1':
            'QC_DOC_1 Release Notes is critical: give its result; the move needs OK, Warning or Not applicable.',
          'qcnote:QC_DOC_2': 'Say why QC_DOC_2 User Documentation does not apply.',
        },
      });
      expect(findTicket(t.bot.ctx.db, 1)).toMatchObject({
        qcResults: null,
        state: { status: 'verification', version: 2, verificationReportUrl: null },
      });
      expect(historyOf(t.bot.ctx.db, 'ticket', 1).map((row) => row.event)).toEqual([
        'create',
        'start_verification',
      ]);
      expect(listOutbox(t.bot.ctx.db)).toHaveLength(outboxBefore);
    });

    it('when Verification passed answers every criterion, then the results are kept and /cmd-status shows them with the known issues', async () => {
      await submitRelease();
      await injectBoth();
      await startVerification();

      await move(STAFF_ID, 'move:pass_verification', 'ticket:TKT-1', {
        reportUrl: field.text('https://wiki.egi.eu/reports/arc-6.21.1-el9'),
        ...qcFieldsAllOk(),
        'qc:QC_SEC_5': field.select('warning'),
        'qcnote:QC_SEC_5': field.text('/var/log/arc is world-writable'),
        'qc:QC_DOC_2': field.select('not_applicable'),
        'qcnote:QC_DOC_2': field.text('A server-side service'),
        'qc:QC_FUNC_2': field.select('fail'),
      });

      const results = findTicket(t.bot.ctx.db, 1)?.qcResults ?? [];
      expect(findTicket(t.bot.ctx.db, 1)?.state.status).toBe('staged_rollout');
      expect(results).toHaveLength(21);
      expect(results.find((result) => result.id === 'QC_SEC_5')).toEqual({
        id: 'QC_SEC_5',
        name: 'World Writable Files',
        critical: true,
        result: 'warning',
        note: '/var/log/arc is world-writable',
      });
      const shown = await statusBlocksOf('TKT-1');
      expect(shown).toContain(
        [
          '*Quality criteria*',
          '• *TKT-1* el9/x86_64: 18 OK · 1 Warning · 1 Fail · 1 Not applicable',
          '    ◦ Not applicable: QC_DOC_2 User Documentation (critical): A server-side service',
          '    ◦ Warning: QC_SEC_5 World Writable Files (critical): /var/log/arc is world-writable',
          '    ◦ Fail: QC_FUNC_2 New features/bug fixes testing',
        ].join('\n'),
      );
      expect(shown).toContain(
        [
          '*Known issues from verification*',
          '• QC_SEC_5 World Writable Files: /var/log/arc is world-writable (TKT-1)',
        ].join('\n'),
      );
    });

    it('when Verification failed names the criteria that failed, then the product team reads them by id and name', async () => {
      await submitRelease();
      await injectBoth();
      await startVerification();
      const view = await openMove(STAFF_ID, 'move:fail_verification', 'ticket:TKT-1');
      expect(view.blocks.map((block) => block.block_id)).toContain('failedCriteria');

      await t.submitView(STAFF_ID, 'move', view.private_metadata, {
        reason: field.text('arc-client does not start on el9'),
        failedCriteria: field.multi(['QC_FUNC_1', 'QC_DOC_1']),
      });
      await sendOutbox();

      expect(findTicket(t.bot.ctx.db, 1)?.qcResults?.map((result) => [result.id, result.result])).toEqual([
        ['QC_DOC_1', 'fail'],
        ['QC_FUNC_1', 'fail'],
      ]);
      expect(postsTo(CONTACT_ID).at(-1)?.args.text).toBe(
        'TKT-1 ARC 6.21.1 (UMD-5) on el9/x86_64 failed verification: arc-client does not start on el9. Quality criteria that failed: QC_DOC_1 Release Notes, QC_FUNC_1 Basic Functionality Test.',
      );
    });
  });

  describe('Refusals', () => {
    it('when the contact clicks Inject, then they are told only the UMD team can inject, nothing changes and the refusal is recorded', async () => {
      await submitRelease();
      const outboxBefore = listOutbox(t.bot.ctx.db).length;

      await t.click(CONTACT_ID, 'move:inject', buttonValue(currentCard().blocks, 'move:inject'));

      expect(responsesTo(CONTACT_ID).map((call) => call.args)).toEqual([
        { response_type: 'ephemeral', replace_original: false, text: 'Only the UMD team can use “Inject”.' },
      ]);
      expect(t.slack.callsTo('views.open')).toEqual([]);
      expect(findSubmission(t.bot.ctx.db, 1)?.state).toMatchObject({ status: 'open', version: 1 });
      expect(listTicketsOfSubmission(t.bot.ctx.db, 1)).toEqual([]);
      expect(listOutbox(t.bot.ctx.db)).toHaveLength(outboxBefore);
      expect(listRefusals(t.bot.ctx.db)).toEqual([
        expect.objectContaining({
          subjectType: 'submission',
          subjectId: 1,
          event: 'inject',
          actor: CONTACT_ID,
          kind: 'wrong_role',
          reason: 'Only the UMD team can use “Inject”.',
        }),
      ]);
    });

    it('when a stranger clicks Start verification, then they are told only the UMD team can start verification and the ticket stays Unverified', async () => {
      await submitRelease();
      await injectBoth();

      await t.click(
        STRANGER_ID,
        'move:start_verification',
        buttonValue(currentCard().blocks, 'move:start_verification', 'ticket:TKT-1'),
      );

      expect(responsesTo(STRANGER_ID).map((call) => call.args.text)).toEqual([
        'Only the UMD team can use “Start verification”.',
      ]);
      expect(findTicket(t.bot.ctx.db, 1)?.state).toMatchObject({ status: 'unverified', version: 1 });
      expect(historyOf(t.bot.ctx.db, 'ticket', 1).map((row) => row.event)).toEqual(['create']);
      expect(listRefusals(t.bot.ctx.db)).toEqual([
        expect.objectContaining({
          subjectType: 'ticket',
          subjectId: 1,
          event: 'start_verification',
          actor: STRANGER_ID,
          kind: 'wrong_role',
        }),
      ]);
    });

    it('when a stranger submits a move form without the button, then nothing changes and the refusal is recorded', async () => {
      await submitRelease();
      const staffView = await openMove(STAFF_ID, 'move:inject', 'submission:SUB-1');

      const response = await t.submitView(STRANGER_ID, 'move', staffView.private_metadata, {
        platforms: field.checks(BOTH_PLATFORMS),
      });

      expect(response.json).toMatchObject({ response_action: 'update' });
      expect(JSON.stringify(response.json)).toContain('Only the UMD team can use “Inject”.');
      expect(findSubmission(t.bot.ctx.db, 1)?.state.status).toBe('open');
      expect(listTicketsOfSubmission(t.bot.ctx.db, 1)).toEqual([]);
      expect(listRefusals(t.bot.ctx.db)).toEqual([
        expect.objectContaining({ event: 'inject', actor: STRANGER_ID, kind: 'wrong_role' }),
      ]);
    });

    it('when staff click a button on an outdated card, then they are told who moved it, to what and when, and the refusal is recorded', async () => {
      await submitRelease();
      await injectBoth();
      const oldCard = currentCard();
      t.clock.set('2027-03-02T10:00:00Z');
      await startVerification();
      t.clock.set('2027-03-02T10:05:00Z');

      await t.click(
        STAFF_ID,
        'move:wait_for_provider',
        buttonValue(oldCard.blocks, 'move:wait_for_provider', 'ticket:TKT-1'),
      );

      expect(t.slack.callsTo('views.open')).toHaveLength(2); // Inject and Start verification only
      const [told, ...more] = responsesTo(STAFF_ID).map((call) => String(call.args.text));
      expect(more).toEqual([]);
      expect(told).toContain('USTAFF1');
      expect(told).toContain('moved by');
      expect(told).toContain('to Verification at 2027-03-02 10:00 UTC');
      expect(findTicket(t.bot.ctx.db, 1)?.state).toMatchObject({ status: 'verification', version: 2 });
      expect(listRefusals(t.bot.ctx.db)).toEqual([
        expect.objectContaining({
          subjectType: 'ticket',
          subjectId: 1,
          event: 'wait_for_provider',
          actor: STAFF_ID,
          kind: 'outdated',
          at: new Date('2027-03-02T10:05:00Z'),
        }),
      ]);
    });

    // FIXED (src/domain/machine.ts checkEvent, shown as is by src/slack/listeners/actions/move-button.ts): the
    // outdated-card message names the mover by the raw Slack id — "The ticket was moved by USTAFF1 to
    // Verification at 2027-03-02 10:00 UTC." — which Slack shows as the literal text "USTAFF1", not as the
    // person. In Slack the mover should be a mention (<@USTAFF1>) so the clicker sees who it was.
    it('when staff click a button on an outdated card, then the mover is named as a Slack mention', async () => {
      await submitRelease();
      await injectBoth();
      const oldCard = currentCard();
      await startVerification();

      await t.click(
        STAFF_ID,
        'move:wait_for_provider',
        buttonValue(oldCard.blocks, 'move:wait_for_provider', 'ticket:TKT-1'),
      );

      expect(String(responsesTo(STAFF_ID).at(-1)?.args.text)).toContain('moved by <@USTAFF1>');
    });

    it('when staff click a button on an outdated card, then the card is refreshed without a thread reply', async () => {
      await submitRelease();
      await injectBoth();
      const oldCard = currentCard();
      await startVerification();
      const updatesBefore = t.slack.callsTo('chat.update').length;
      const repliesBefore = threadReplies().length;
      await t.click(
        STAFF_ID,
        'move:wait_for_provider',
        buttonValue(oldCard.blocks, 'move:wait_for_provider', 'ticket:TKT-1'),
      );

      await sendOutbox();

      const updates = t.slack.callsTo('chat.update').slice(updatesBefore);
      expect(updates).toHaveLength(1);
      expect(updates[0]?.args.ts).toBe(cardLocation().ts);
      expect(JSON.stringify(updates[0]?.args.blocks)).toContain('*TKT-1* · el9/x86_64 · *Verification*');
      expect(buttonsIn(updates[0]?.args.blocks, 'ticket:TKT-1').map((button) => button.value)).toContain(
        '{"s":"TKT-1","v":2}',
      );
      expect(threadReplies()).toHaveLength(repliesBefore);
    });

    it('when staff click a button they already used (a double click), then they are told it is done and nothing is refused', async () => {
      await submitRelease();
      await injectBoth();
      const oldCard = currentCard();
      await startVerification();

      await t.click(
        STAFF_ID,
        'move:start_verification',
        buttonValue(oldCard.blocks, 'move:start_verification', 'ticket:TKT-1'),
      );

      expect(responsesTo(STAFF_ID).map((call) => call.args.text)).toEqual([
        'You already did this: Start verification on TKT-1.',
      ]);
      expect(listRefusals(t.bot.ctx.db)).toEqual([]);
    });

    it('when staff submit the same Inject modal twice, then it acts once', async () => {
      await submitRelease();
      const view = await openMove(STAFF_ID, 'move:inject', 'submission:SUB-1');
      const values = { platforms: field.checks(BOTH_PLATFORMS), assignee: field.user(null) };
      await t.submitView(STAFF_ID, 'move', view.private_metadata, values);
      const outboxAfterFirst = listOutbox(t.bot.ctx.db).length;

      const again = await t.submitView(STAFF_ID, 'move', view.private_metadata, values);
      await sendOutbox();

      expect(again.status).toBe(200);
      expect(again.json).toBeNull();
      expect(listTicketsOfSubmission(t.bot.ctx.db, 1).map((ticket) => ticket.id)).toEqual([1, 2]);
      expect(historyOf(t.bot.ctx.db, 'submission', 1).filter((row) => row.event === 'inject')).toHaveLength(
        1,
      );
      expect(listOutbox(t.bot.ctx.db)).toHaveLength(outboxAfterFirst);
      expect(postsTo(CONTACT_ID)).toHaveLength(1);
      expect(t.slack.callsTo('chat.update')).toHaveLength(1);
      expect(listRefusals(t.bot.ctx.db)).toEqual([]);
    });

    it('when staff submit the same Verification passed modal twice, then there is one history row and no second notices', async () => {
      await submitRelease();
      await injectBoth();
      await startVerification();
      const view = await openMove(STAFF_ID, 'move:pass_verification', 'ticket:TKT-1');
      const values = {
        reportUrl: field.text('https://wiki.egi.eu/reports/arc-6.21.1-el9'),
        ...qcFieldsAllOk(),
      };
      await t.submitView(STAFF_ID, 'move', view.private_metadata, values);
      await sendOutbox();
      const callsAfterFirst = t.slack.calls.length;

      const again = await t.submitView(STAFF_ID, 'move', view.private_metadata, values);
      await sendOutbox();

      expect(again.json).toBeNull();
      expect(findTicket(t.bot.ctx.db, 1)?.state).toMatchObject({ status: 'staged_rollout', version: 3 });
      expect(
        historyOf(t.bot.ctx.db, 'ticket', 1).filter((row) => row.event === 'pass_verification'),
      ).toHaveLength(1);
      expect(t.slack.calls.slice(callsAfterFirst)).toEqual([]);
      expect(postsTo(EA_CHANNEL)).toHaveLength(1);
    });

    it('when Verification passed is given "not a link", then the report-link field says so and nothing changes', async () => {
      await submitRelease();
      await injectBoth();
      await startVerification();
      const view = await openMove(STAFF_ID, 'move:pass_verification', 'ticket:TKT-1');
      const outboxBefore = listOutbox(t.bot.ctx.db).length;

      const response = await t.submitView(STAFF_ID, 'move', view.private_metadata, {
        reportUrl: field.text('not a link'),
        ...qcFieldsAllOk(),
      });

      expect(response.json).toEqual({
        response_action: 'errors',
        errors: {
          reportUrl:
            'The link to the verification report must be an http(s) link, such as https://example.org/report.',
        },
      });
      expect(findTicket(t.bot.ctx.db, 1)?.state).toMatchObject({
        status: 'verification',
        version: 2,
        verificationReportUrl: null,
      });
      expect(historyOf(t.bot.ctx.db, 'ticket', 1).map((row) => row.event)).toEqual([
        'create',
        'start_verification',
      ]);
      expect(listOutbox(t.bot.ctx.db)).toHaveLength(outboxBefore);
    });

    it('when a submission is rejected with an empty reason, then the reason field says so and nothing changes', async () => {
      await submitRelease();
      const view = await openMove(STAFF_ID, 'move:reject', 'submission:SUB-1');
      const outboxBefore = listOutbox(t.bot.ctx.db).length;

      const response = await t.submitView(STAFF_ID, 'move', view.private_metadata, {
        reason: field.text('  '),
      });

      expect(response.json).toEqual({
        response_action: 'errors',
        errors: { reason: 'Give the reason for rejecting the submission.' },
      });
      expect(findSubmission(t.bot.ctx.db, 1)?.state).toMatchObject({ status: 'open', version: 1 });
      expect(historyOf(t.bot.ctx.db, 'submission', 1).map((row) => row.event)).toEqual(['submit']);
      expect(listOutbox(t.bot.ctx.db)).toHaveLength(outboxBefore);
    });

    // FIXED (src/slack/listeners/views/move-view.ts): every problem of a move goes on FIRST_FIELD[event], so for
    // Verification failed a bad (optional) report link is reported beside "What failed" (block `reason`):
    // seen `errors: { reason: 'The link to the verification report must be an http(s) link, …' }`. The modal
    // says "Block ids are the field names, so validation errors go back to the right field."
    it('when Verification failed has a reason but a bad report link, then the error is beside the report link', async () => {
      await submitRelease();
      await injectBoth();
      await startVerification();
      const view = await openMove(STAFF_ID, 'move:fail_verification', 'ticket:TKT-1');

      const response = await t.submitView(STAFF_ID, 'move', view.private_metadata, {
        reason: field.text('arc-client does not start on el9'),
        reportUrl: field.text('wiki page 12'),
      });

      expect(response.json).toEqual({
        response_action: 'errors',
        errors: {
          reportUrl:
            'The link to the verification report must be an http(s) link, such as https://example.org/report.',
        },
      });
    });

    it('when staff explain a delay the product team was already told of, then the product team gets the reasons', async () => {
      await submitRelease();
      await injectBoth();
      t.clock.set('2027-04-02T09:00:00Z');
      expect(checkDelays(t.bot.ctx).delayed.map((delayed) => delayed.ticketId)).toEqual([1, 2]);
      t.clock.set('2027-04-02T13:30:00Z'); // past DELAY_NOTICE_HOLD_HOURS (4): the product team hears of it
      await sendOutbox();
      const contactPostsBefore = postsTo(CONTACT_ID).length;
      const channelPostsBefore = postsTo(CONTACT_CHANNEL).length;
      t.clock.set('2027-04-02T14:00:00Z');

      const response = await move(STAFF_ID, 'move:explain_delay', 'ticket:TKT-1', {
        category: field.select('testbed_unavailable'),
        text: field.text('The EL9 testbed is being rebuilt until 9 April.'),
      });

      expect(response.json).toBeNull();
      const reasons =
        'The reasons for the delay of TKT-1 ARC 6.21.1 (UMD-5) on el9/x86_64: Testbed unavailable: The EL9 testbed is being rebuilt until 9 April.';
      expect(
        postsTo(CONTACT_ID)
          .slice(contactPostsBefore)
          .map((call) => call.args.text),
      ).toEqual([reasons]);
      expect(
        postsTo(CONTACT_CHANNEL)
          .slice(channelPostsBefore)
          .map((call) => call.args.text),
      ).toEqual([reasons]);
      expect(findTicket(t.bot.ctx.db, 1)?.state).toMatchObject({
        status: 'delayed',
        delayedFrom: 'unverified',
        delayExplanation: 'Testbed unavailable: The EL9 testbed is being rebuilt until 9 April.',
      });
      expect(JSON.stringify(currentCard().blocks)).toContain(
        '⏰ Testbed unavailable: The EL9 testbed is being rebuilt until 9 April.',
      );
    });

    it('when staff explain a delay while its notice is held, then the product team hears of the delay with the reasons, once', async () => {
      await submitRelease();
      await injectBoth();
      t.clock.set('2027-04-02T09:00:00Z');
      checkDelays(t.bot.ctx);
      await sendOutbox();
      const contactPostsBefore = postsTo(CONTACT_ID).length;
      t.clock.set('2027-04-02T11:00:00Z');
      await move(STAFF_ID, 'move:explain_delay', 'ticket:TKT-1', {
        category: field.select('team_capacity'),
        text: field.text('Two of us are at the EGI conference.'),
      });

      t.clock.set('2027-04-02T13:30:00Z');
      await sendOutbox();

      const told = postsTo(CONTACT_ID)
        .slice(contactPostsBefore)
        .map((call) => String(call.args.text))
        .filter((text) => text.includes('TKT-1'));
      expect(told).toEqual([
        'TKT-1 ARC 6.21.1 (UMD-5) on el9/x86_64 is Delayed. UMD team capacity: Two of us are at the EGI conference.',
      ]);
    });

    // FIXED (src/outbox/worker.ts runOnce): a row held on purpose (the product team's delay notice, notBefore =
    // now + DELAY_NOTICE_HOLD_HOURS) blocks every later row of the same submission ("a later message must not
    // overtake"), so for 4 hours after a delay the card is not edited and its thread is silent, whatever staff
    // do. Seen: after Explain delay at 11:00 the card row `TKT-1:v3:card` stays pending (no chat.update, no
    // thread reply) until the clock passes 13:00.
    it('when staff explain a delay while its notice is held, then the card shows the explanation at once', async () => {
      await submitRelease();
      await injectBoth();
      t.clock.set('2027-04-02T09:00:00Z');
      checkDelays(t.bot.ctx);
      await sendOutbox();
      const repliesBefore = threadReplies().length;
      t.clock.set('2027-04-02T11:00:00Z');

      await move(STAFF_ID, 'move:explain_delay', 'ticket:TKT-1', {
        category: field.select('team_capacity'),
        text: field.text('Two of us are at the EGI conference.'),
      });

      expect(JSON.stringify(currentCard().blocks)).toContain(
        '⏰ UMD team capacity: Two of us are at the EGI conference.',
      );
      expect(
        threadReplies()
          .slice(repliesBefore)
          .map((reply) => reply.args.text),
      ).toEqual([
        '<@USTAFF1>: Explain delay on TKT-1 (el9/x86_64), now Delayed. UMD team capacity: Two of us are at the EGI conference.',
      ]);
    });
  });

  describe('Waiting for the provider before injection', () => {
    it('when staff click Waiting for provider on the submission, then it waits and the contact is told what is needed', async () => {
      await submitRelease();
      t.clock.set('2027-03-02T09:00:00Z');

      const response = await move(STAFF_ID, 'move:wait_for_provider', 'submission:SUB-1', {
        needed: field.text('the el8 packages are missing from the repository'),
      });

      expect(response.json).toBeNull();
      expect(findSubmission(t.bot.ctx.db, 1)?.state).toMatchObject({
        status: 'waiting_for_provider',
        waitingFrom: 'open',
        reason: 'the el8 packages are missing from the repository',
      });
      const told =
        'ARC 6.21.1 (UMD-5) (SUB-1) is waiting for you. The UMD team needs: the el8 packages are missing from the repository. Its injection clock is paused until then.';
      expect(postsTo(CONTACT_ID).map((call) => call.args.text)).toEqual([told]);
      expect(postsTo(CONTACT_CHANNEL).map((call) => call.args.text)).toEqual([told]);
      const card = currentCard();
      expect(JSON.stringify(card.blocks)).toContain(
        'waiting for the provider: the el8 packages are missing from the repository (clock paused)',
      );
      expect(buttonsIn(card.blocks, 'submission:SUB-1').map((button) => button.action_id)).toEqual([
        'move:resume',
        'move:reject',
      ]);
    });

    it('when staff resume a waiting submission from the card, then it is Open again with its deadline moved by the time waited', async () => {
      await submitRelease();
      const deadline = findSubmission(t.bot.ctx.db, 1)?.state.deadline;
      t.clock.set('2027-03-02T09:00:00Z');
      await move(STAFF_ID, 'move:wait_for_provider', 'submission:SUB-1', {
        needed: field.text('el8 packages'),
      });
      t.clock.set('2027-03-04T09:00:00Z');

      const response = await move(STAFF_ID, 'move:resume', 'submission:SUB-1');

      expect(response.json).toBeNull();
      expect(deadline).toEqual(new Date('2027-03-08T23:00:00Z'));
      expect(findSubmission(t.bot.ctx.db, 1)?.state).toMatchObject({
        status: 'open',
        version: 3,
        waitingFrom: null,
        deadline: new Date('2027-03-10T23:00:00Z'),
      });
      expect(threadReplies().at(-1)?.args.text).toBe('<@USTAFF1> moved SUB-1 to Open.');
      expect(buttonsIn(currentCard().blocks, 'submission:SUB-1').map((button) => button.action_id)).toContain(
        'move:inject',
      );
    });
  });
});

describe('with a UMD staff user group', () => {
  const listCalls = () => t.slack.callsTo('usergroups.users.list').length;
  /**
   * The group is read in the background (at start-up, and when Slack says it changed): wait until the app has
   * taken in the answer. The listener of Slack's event runs before its ack here, so a read it starts is under way
   * by the time the event's answer comes back.
   */
  const groupLoaded = () => t.bot.staff.settled();

  const subteamChanged = (subteamId: string, added: string[], removed: string[]) =>
    t.event({
      type: 'subteam_members_changed',
      subteam_id: subteamId,
      team_id: 'T0FAKETEAM',
      date_previous_update: 1_804_237_200,
      date_update: 1_804_240_800,
      added_users: added,
      added_users_count: String(added.length),
      removed_users: removed,
      removed_users_count: String(removed.length),
      event_ts: '1804240800.000100',
    });

  beforeEach(async () => {
    t = await startTestBot({ env: { UMD_STAFF_USERGROUP_ID: 'S0STAFF' } });
  });

  it('when the group is loaded, then its member can inject from the card', async () => {
    await groupLoaded();
    await submitRelease();

    const view = await openMove(STAFF_2_ID, 'move:inject', 'submission:SUB-1');
    const response = await t.submitView(STAFF_2_ID, 'move', view.private_metadata, {
      platforms: field.checks(['el9/x86_64']),
      assignee: field.user(null),
    });

    expect(response.json).toBeNull();
    expect(t.slack.callsTo('usergroups.users.list')[0]?.args.usergroup).toBe('S0STAFF');
    expect(listTicketsOfSubmission(t.bot.ctx.db, 1).map((ticket) => ticket.platform)).toEqual(['el9/x86_64']);
    expect(historyOf(t.bot.ctx.db, 'submission', 1).at(-1)).toMatchObject({
      event: 'inject',
      actor: STAFF_2_ID,
    });
    expect(listRefusals(t.bot.ctx.db)).toEqual([]);
  });

  it('when Slack says the group changed, then the app re-reads it: the new member may move and the removed one may not', async () => {
    await groupLoaded();
    await submitRelease();
    const inject = buttonValue(currentCard().blocks, 'move:inject');
    t.slack.respondWith('usergroups.users.list', () => ({ body: { ok: true, users: ['USTAFF3'] } }));

    await subteamChanged('S0STAFF', ['USTAFF3'], [STAFF_2_ID]);
    await groupLoaded();
    await t.click('USTAFF3', 'move:inject', inject);
    await t.click(STAFF_2_ID, 'move:inject', inject);

    expect(t.slack.callsTo('usergroups.users.list')[1]?.args.usergroup).toBe('S0STAFF');
    expect(t.slack.callsTo('views.open')).toHaveLength(1);
    expect(lastOpenedView().private_metadata).toBe('{"s":"SUB-1","v":1,"e":"inject"}');
    expect(responsesTo('USTAFF3')).toEqual([]);
    expect(responsesTo(STAFF_2_ID).map((call) => call.args.text)).toEqual([
      'Only the UMD team can use “Inject”.',
    ]);
    expect(listRefusals(t.bot.ctx.db)).toEqual([
      expect.objectContaining({ event: 'inject', actor: STAFF_2_ID, kind: 'wrong_role' }),
    ]);
  });

  it('when Slack says another group changed, then the staff group is not re-read', async () => {
    await groupLoaded();

    await subteamChanged('S0OTHER', ['USTAFF3'], []);
    await groupLoaded();

    expect(listCalls()).toBe(1);
  });

  // FIXED (src/slack/staff.ts, refresh): a refresh asked for while one is in flight returns the in-flight read
  // instead of reading again after it. When Slack reports a second change while the first re-read is under
  // way (and Slack answered that read before the second change), the second change is never read: the new
  // member stays locked out until the hourly refresh. Seen: after two subteam_members_changed events only two
  // usergroups.users.list calls in all (start-up + first event); waiting for a third times out.
  it('when the group changes again while it is being re-read, then it is read once more afterwards', async () => {
    await groupLoaded();
    t.slack.respondWith('usergroups.users.list', (_args, callIndex) => ({
      body: { ok: true, users: callIndex <= 1 ? [STAFF_2_ID] : [STAFF_2_ID, 'USTAFF3'] },
    }));
    t.slack.setDelay(300);
    await subteamChanged('S0STAFF', [STAFF_2_ID], []);
    await t.slack.waitFor(() => listCalls() >= 2);

    await subteamChanged('S0STAFF', ['USTAFF3'], []);

    await t.slack.waitFor(() => listCalls() >= 3, 1500);
  });

  it('when the group cannot be read, then its would-be member is told to try again later and staff listed by id still can move', async () => {
    await t.stop();
    t = await startTestBot({ env: { UMD_STAFF_USERGROUP_ID: 'S0MISSING' } });
    await groupLoaded();
    await submitRelease();
    const inject = buttonValue(currentCard().blocks, 'move:inject');

    await t.click(STAFF_2_ID, 'move:inject', inject);
    await t.click(STAFF_ID, 'move:inject', inject);

    expect(responsesTo(STAFF_2_ID).map((call) => call.args.text)).toEqual([
      'cmd-bot could not read the UMD staff user group from Slack yet, so it cannot tell whether you are staff. Try again in a minute.',
    ]);
    expect(t.slack.callsTo('views.open')).toHaveLength(1);
    expect(listRefusals(t.bot.ctx.db)).toEqual([]);
  });
});
