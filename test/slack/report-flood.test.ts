/**
 * Early adopters answer a staged-rollout announcement with the real app: a repeat is one report, a site off the
 * product's card is marked, and one person cannot flood the card.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { reportsOfSubmission } from '../../src/db/repositories/early-adopter-reports.js';
import { inject, passVerification, startVerification, submit } from '../../src/services/index.js';
import { CONTACT_ID, field, STAFF_ID, startTestBot, type TestBot, UMD_CHANNEL } from '../support/bot.js';
import { QC_ALL_OK } from '../support/qc.js';

const STAFF = { userId: STAFF_ID, staff: true };
const ADOPTER = 'UADOPTER1';
let t: TestBot;

beforeEach(async () => {
  t = await startTestBot();
  submit(
    t.bot.ctx,
    {
      product: 'ARC',
      version: '6.21.1',
      releaseNotes: 'https://x.org/n',
      packages: ['arc'],
      platforms: ['el9/x86_64'],
    },
    { userId: CONTACT_ID, staff: false },
  );
  inject(t.bot.ctx, 1, { expectedVersion: 1 }, STAFF);
  startVerification(t.bot.ctx, 1, { expectedVersion: 1 }, STAFF);
  passVerification(t.bot.ctx, 1, { expectedVersion: 2, reportUrl: 'https://x.org/r', qc: QC_ALL_OK }, STAFF);
  await t.drain();
});
afterEach(async () => {
  await t.stop();
});

// SITE-A is on the product's card and picked from the list; the others are typed under Another site.
const sendReport = (site: string, details = '') =>
  t.submitView(ADOPTER, 'ea_report', JSON.stringify({ sub: 1, outcome: 'problem' }), {
    ...(site === 'SITE-A'
      ? { site: field.select('s:SITE-A'), otherSite: field.text('') }
      : { site: field.select('other'), otherSite: field.text(site) }),
    platform: field.select('el9/x86_64'),
    installKind: field.radio('new'),
    upgradedFrom: field.text(''),
    tested: field.text('job submission'),
    details: field.text(details || `trouble at ${site}`),
    workaround: field.text(''),
  });

it('when one person sends the same report again and then four more in a minute, then the repeat is one report, the sixth send is refused, and the card marks sites off the card', async () => {
  await sendReport('SITE-A', 'slow');
  await sendReport('site-a', 'slow');
  expect(reportsOfSubmission(t.bot.ctx.db, 1)).toHaveLength(1);

  const answers = [];
  for (const site of ['SITE-B', 'SITE-C', 'SITE-D']) answers.push(await sendReport(site));
  expect(answers.map((a) => a.json)).toEqual([
    expect.objectContaining({ response_action: 'update' }),
    expect.objectContaining({ response_action: 'update' }),
    expect.objectContaining({ response_action: 'update' }),
  ]);
  // Every send counts, the repeat too: this is the sixth in a minute.
  const refused = await sendReport('SITE-E');

  expect(refused.json).toMatchObject({ response_action: 'update' });
  expect(JSON.stringify(refused.json)).toContain('You sent more than 5 reports in a minute');
  expect(reportsOfSubmission(t.bot.ctx.db, 1).map((r) => r.site)).toEqual([
    'site-a',
    'SITE-B',
    'SITE-C',
    'SITE-D',
  ]);
  await t.drain();
  const card = t.slack.callsTo('chat.update').at(-1)?.args;
  expect(JSON.stringify(card?.blocks)).toContain(
    '*el9/x86_64:* problems at site-a, SITE-B (not on the card), SITE-C (not on the card), SITE-D (not on the card)',
  );
  const replies = t.slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === UMD_CHANNEL && c.args.thread_ts);
  expect(replies.every((reply) => String(reply.args.text).length < 4000)).toBe(true);
});
