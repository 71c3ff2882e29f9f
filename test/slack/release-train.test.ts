/** The release train in Slack, driven by signed requests against the fake Web API. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDelays, getReleaseDocuments, inject, submit } from '../../src/services/index.js';
import {
  CONTACT_ID,
  EA_CHANNEL,
  field,
  STAFF_ID,
  STRANGER_ID,
  startTestBot,
  type TestBot,
  UMD_CHANNEL,
} from '../support/bot.js';
import { cardDriver } from '../support/card-driver.js';
import { decodedOnce } from '../support/html.js';
import { qcFieldsAllOk } from '../support/qc.js';
import { toReady } from '../support/ticket-flow.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

const card = cardDriver(() => t);
const STAFF = { userId: STAFF_ID, staff: true };
const ackText = (response: { json: unknown }) => JSON.stringify(response.json);

/** ARC 6.21.1 submitted, injected, and its el9 ticket (TKT-1) moved to Ready. */
function readyTicket(): void {
  submit(
    t.bot.ctx,
    {
      product: 'ARC',
      version: '6.21.1',
      releaseNotes: 'https://x.example/notes',
      packages: ['nordugrid-arc'],
    },
    { userId: CONTACT_ID, staff: false },
  );
  inject(t.bot.ctx, 1, { expectedVersion: 1 }, STAFF);
  toReady(t.bot.ctx, 1, STAFF);
}

describe('/cmd-release', () => {
  it('when staff plan UMD-5.1.0, then the ack confirms it and the UMD channel hears when it freezes; anyone else is refused', async () => {
    const refused = await t.command(STRANGER_ID, '/cmd-release', 'new UMD-5.1.0 2027-03-15');
    expect(ackText(refused)).toContain('Only the UMD team can plan releases.');

    const planned = await t.command(STAFF_ID, '/cmd-release', 'new UMD-5.1.0 2027-03-15');
    expect(ackText(planned)).toContain('Planned *UMD 5.1.0* for 2027-03-15');
    await t.drain();
    const posted = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === UMD_CHANNEL);
    expect(String(posted?.args.text)).toContain('planned *UMD 5.1.0* for 2027-03-15; its contents freeze');

    const wrong = await t.command(STAFF_ID, '/cmd-release', 'new UMD-6.0.0 2027-03-15');
    expect(ackText(wrong)).toContain('UMD 6.0.0 does not belong to UMD-5');
  });

  it('when staff click a ticket through to Ready for release on its card, then /cmd-release show lists it as a candidate, and the others on their way with a forecast', async () => {
    await t.command(STAFF_ID, '/cmd-release', 'new UMD-5.1.0 2027-03-15');
    await t.command(
      CONTACT_ID,
      '/cmd-submit',
      'ARC 6.21.1 <https://www.nordugrid.org/arc/6.21.1|notes> nordugrid-arc',
    );
    await card.sendOutbox();
    await card.move(STAFF_ID, 'move:inject', 'submission:SUB-1', {
      platforms: field.checks(['el9/x86_64', 'el8/x86_64']),
      assignee: field.user(STAFF_ID),
    });
    await card.move(STAFF_ID, 'move:start_verification', 'ticket:TKT-1');
    await card.move(STAFF_ID, 'move:pass_verification', 'ticket:TKT-1', {
      reportUrl: field.text('https://wiki.egi.eu/reports/arc-6.21.1-el9'),
      ...qcFieldsAllOk(),
    });
    await card.move(STAFF_ID, 'move:mark_ready', 'ticket:TKT-1', { reportUrl: field.text('') });

    // The product team hears which release it will be part of.
    const told = t.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === CONTACT_ID)
      .map((c) => String(c.args.text));
    expect(told).toContain(
      'TKT-1 ARC 6.21.1 (UMD-5) on el9/x86_64 is Ready: it will be part of UMD 5.1.0 (its contents freeze Tue 9 Mar 2027, 00:00 (Europe/Amsterdam)).',
    );
    const shown = await t.command(CONTACT_ID, '/cmd-release', 'show UMD-5.1.0');
    const text = ackText(shown);
    expect(text).toContain('*Candidates (Ready now)*');
    expect(text).toContain('*TKT-1* ARC 6.21.1 el9/x86_64: Ready');
    expect(text).toContain('*TKT-2* ARC 6.21.1 el8/x86_64: Unverified');
    expect(text).toContain('at risk: its limits end after the cut-off');
  });

  it('when staff take a candidate out with /cmd-release remove, then show lists it as taken out with the reason; anyone else is refused', async () => {
    await t.command(STAFF_ID, '/cmd-release', 'new UMD-5.1.0 2027-03-15');
    readyTicket();

    const refused = await t.command(STRANGER_ID, '/cmd-release', 'remove UMD-5.1.0 TKT-1 not yet');
    expect(ackText(refused)).toContain('Only the UMD team can change what a release holds.');
    const usage = await t.command(STAFF_ID, '/cmd-release', 'remove UMD-5.1.0 SUB-1 oops');
    expect(ackText(usage)).toContain('`/cmd-release add|remove UMD-5.1.0 TKT-3 reason`');
    const removed = await t.command(
      STAFF_ID,
      '/cmd-release',
      'remove UMD-5.1.0 TKT-1 waits for <!channel> the fix',
    );
    expect(ackText(removed)).toContain('Took TKT-1 out of *UMD 5.1.0*; the reason is in its history.');

    const text = ackText(await t.command(STAFF_ID, '/cmd-release', 'show UMD-5.1.0'));
    expect(text).toContain('*Taken out by hand* (they slip at the freeze)');
    // The reason is the staff member's text: shown, never a live mention.
    expect(text).toContain(
      '*TKT-1* ARC 6.21.1 el9/x86_64: Ready — by hand (<@USTAFF1>): waits for &lt;!channel&gt; the fix',
    );
    const added = await t.command(STAFF_ID, '/cmd-release', 'add UMD-5.1.0 TKT-1 fixed after all');
    expect(ackText(added)).toContain('Added TKT-1 to *UMD 5.1.0*');
  });

  it('when the cut-off passes, then the UMD channel gets the freeze message and the product team is told its ticket slipped', async () => {
    await t.command(STAFF_ID, '/cmd-release', 'new UMD-5.1.0 2027-03-15');
    readyTicket();
    t.clock.set('2027-03-09T00:00:00Z');
    checkDelays(t.bot.ctx, t.clock.now());
    await t.drain();
    const posts = t.slack.callsTo('chat.postMessage');
    const freeze = posts.find((c) => String(c.args.text).includes('is frozen'));
    expect(freeze?.args.channel).toBe(UMD_CHANNEL);
    expect(String(freeze?.args.text)).toContain('*UMD 5.1.0* is frozen (cut-off reached): 1 ticket in it');
    expect(String(freeze?.args.text)).toContain('TKT-1 ARC 6.21.1 el9/x86_64');
    // The freeze message carries the release's Publish button, for staff.
    expect(JSON.stringify(freeze?.args.blocks)).toContain(
      '"action_id":"release:publish","value":"UMD-5.1.0"',
    );
    const slip = posts.find(
      (c) => c.args.channel === CONTACT_ID && String(c.args.text).includes('is not in *UMD 5.1.0*'),
    );
    expect(String(slip?.args.text)).toContain(
      'TKT-2 el8/x86_64: Unverified; it still needs verification in a testbed',
    );
  });
});

describe('publishing from Slack', () => {
  it('when staff click Publish on a frozen release, then its tickets are Released and the product team hears it is part of UMD 5.1.0; anyone else is refused', async () => {
    await t.command(STAFF_ID, '/cmd-release', 'new UMD-5.1.0 2027-03-15');
    readyTicket();
    t.clock.set('2027-03-09T00:00:00Z');
    checkDelays(t.bot.ctx, t.clock.now());
    await t.drain();

    const shown = await t.command(STAFF_ID, '/cmd-release', 'show UMD-5.1.0');
    expect(ackText(shown)).toContain('"action_id":"release:publish"');

    await t.click(STRANGER_ID, 'release:publish', 'UMD-5.1.0');
    await t.slack.waitFor((calls) => calls.some((c) => c.method === `response_url:click-${STRANGER_ID}`));
    expect(JSON.stringify(t.slack.callsTo(`response_url:click-${STRANGER_ID}`)[0]?.args)).toContain(
      'Only the UMD team can publish releases.',
    );

    t.clock.set('2027-03-15T09:00:00Z');
    await t.click(STAFF_ID, 'release:publish', 'UMD-5.1.0');
    await t.slack.waitFor((calls) => calls.some((c) => c.method === `response_url:click-${STAFF_ID}`));
    expect(JSON.stringify(t.slack.callsTo(`response_url:click-${STAFF_ID}`)[0]?.args)).toContain(
      'Published *UMD 5.1.0*: 1 ticket(s) are Released',
    );
    await t.drain();
    const posts = t.slack.callsTo('chat.postMessage');
    expect(
      posts.some(
        (c) =>
          c.args.channel === CONTACT_ID &&
          String(c.args.text).includes('is part of *UMD 5.1.0*, published 2027-03-15'),
      ),
    ).toBe(true);
    expect(
      posts.some(
        (c) => c.args.channel === EA_CHANNEL && String(c.args.text).includes('*UMD 5.1.0* is published'),
      ),
    ).toBe(true);
  });
});

describe('the release notes form', () => {
  it('when staff click Edit notes, then the form starts from the draft, and what they save replaces it in the documents', async () => {
    await t.command(STAFF_ID, '/cmd-release', 'new UMD-5.1.0 2027-03-15');
    readyTicket();

    await t.click(STRANGER_ID, 'release:notes', 'UMD-5.1.0');
    await t.slack.waitFor((calls) => calls.some((c) => c.method === `response_url:click-${STRANGER_ID}`));
    expect(t.slack.callsTo('views.open')).toHaveLength(0);

    await t.click(STAFF_ID, 'release:notes', 'UMD-5.1.0');
    await t.slack.waitFor((calls) => calls.some((c) => c.method === 'views.open'));
    const view = t.slack.callsTo('views.open')[0]?.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id?: string; element?: { initial_value?: string } }[];
    };
    expect(view.callback_id).toBe('release_notes');
    const draft = view.blocks.find((b) => b.block_id === 'description')?.element?.initial_value;
    expect(draft).toContain('UMD 5.1.0 is');

    const saved = await t.submitView(STAFF_ID, 'release_notes', view.private_metadata, {
      description: field.text('The first update of UMD 5 on AlmaLinux 9.'),
      installationNotes: field.text(''),
      knownIssues: field.text('ARC: restart after upgrade\n<script>alert(1)</script>'),
    });
    expect(JSON.stringify(saved.json)).toContain('are saved');
    const documents = getReleaseDocuments(t.bot.ctx, 'UMD-5.1.0');
    expect(documents.distribution.description).toBe('The first update of UMD 5 on AlmaLinux 9.');
    expect(documents.knownIssueLines).toEqual(['ARC: restart after upgrade', '<script>alert(1)</script>']);
    // The front end decodes its stored text once: what it shows must still be text, not a tag.
    expect(decodedOnce(documents.distribution.knownIssues ?? '')).toBe(
      '<ul><li>ARC: restart after upgrade</li><li>&lt;script&gt;alert(1)&lt;/script&gt;</li></ul>',
    );
    expect(documents.releaseNotes).toContain('- &lt;script&gt;alert(1)&lt;/script&gt;');
    // Emptied, the installation notes go back to the draft.
    expect(documents.distribution.installationNotes).toContain("verified against EGI's Quality Criteria");
  });
});
