/** What people hear from the delay checker besides delays: early warnings, silence, reminders, the digest. */
import { afterEach, describe, expect, it } from 'vitest';
import { listOutbox, markSent } from '../../src/db/repositories/outbox.js';
import { DUE_REMINDER } from '../../src/db/schema.js';
import {
  checkDelays,
  inject,
  moveSubmission,
  passVerification,
  recordEarlyAdopterReport,
  registerProduct,
  resume,
  startVerification,
  submit,
  waitForProvider,
} from '../../src/services/index.js';
import { ARC_CARD, ARC_RELEASE, CONTACT, openTestStore, STAFF, type TestStore } from '../support/database.js';
import { QC_ALL_OK } from '../support/qc.js';
import { toStagedRollout } from '../support/ticket-flow.js';

let store: TestStore;
afterEach(() => store.cleanup());

function setUp(env: Record<string, string> = {}, start = '2027-03-01T09:00:00Z') {
  // Digest off unless a test asks for it, so that each test hears only what it is about.
  store = openTestStore({ start, env: { DIGEST_TIME: '23:59', ...env } });
  registerProduct(store.ctx, ARC_CARD, STAFF);
  submit(store.ctx, ARC_RELEASE, CONTACT); // Mon 2027-03-01 10:00 local: injection due end of Mon 03-08
}

const topicsOf = (topic: string) => listOutbox(store.handle.db).filter((row) => row.payload.topic === topic);

describe('early warnings', () => {
  it('when the injection limit is one working day away, then staff are reminded once', () => {
    setUp();
    // End of Fri 03-05 local is one working day before the end of Mon 03-08.
    expect(checkDelays(store.ctx, new Date('2027-03-05T22:59:00Z')).warnings).toBe(0);
    expect(checkDelays(store.ctx, new Date('2027-03-05T23:00:00Z')).warnings).toBe(1);
    expect(checkDelays(store.ctx, new Date('2027-03-06T10:00:00Z')).warnings).toBe(0);

    const [warning] = topicsOf('injection_warning');
    expect(warning).toMatchObject({ recipientKind: 'team_channel', recipient: 'umd' });
    expect(warning?.payload.text.markup).toBe(
      'ARC 6.21.1 (UMD-5) (SUB-1) must be injected by Tue 9 Mar 2027, 00:00 (Europe/Amsterdam): 1 working day left.',
    );
  });

  it('when a ticket is three days from its limit, then staff are reminded once; after a pause the new deadline is warned about again', () => {
    setUp();
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    startVerification(store.ctx, 1, { expectedVersion: 1 }, STAFF); // due 2027-03-08T09:00Z
    expect(checkDelays(store.ctx, new Date('2027-03-05T08:59:00Z')).warnings).toBe(0);
    expect(checkDelays(store.ctx, new Date('2027-03-05T09:00:00Z')).warnings).toBe(1);
    expect(checkDelays(store.ctx, new Date('2027-03-05T12:00:00Z')).warnings).toBe(0);
    expect(topicsOf('deadline_warning')[0]?.payload.text.markup).toBe(
      'TKT-1 ARC 6.21.1 (UMD-5) on el9/x86_64 has been Verification since Mon 1 Mar 2027, 10:00 (Europe/Amsterdam); ' +
        'its limit passes Mon 8 Mar 2027, 10:00 (Europe/Amsterdam), in 3 days or less.',
    );

    store.clock.set('2027-03-05T12:00:00Z');
    waitForProvider(
      store.ctx,
      { kind: 'ticket', id: 1 },
      { expectedVersion: 2, needed: 'a fixed build' },
      STAFF,
    );
    store.clock.set('2027-03-06T12:00:00Z');
    resume(store.ctx, { kind: 'ticket', id: 1 }, { expectedVersion: 3 }, STAFF); // deadline moves by a day
    expect(checkDelays(store.ctx, new Date('2027-03-06T12:00:00Z')).warnings).toBe(1);
  });

  it('when INDIVIDUAL_WARNINGS is false, then no early warning is queued', () => {
    setUp({ INDIVIDUAL_WARNINGS: 'false' });
    expect(checkDelays(store.ctx, new Date('2027-03-06T10:00:00Z')).warnings).toBe(0);
    expect(topicsOf('injection_warning')).toEqual([]);
  });
});

describe('early adopters who stay silent', () => {
  it('when no early adopter reports within 7 days of staged rollout, then staff are told once, naming the candidate sites', () => {
    setUp();
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    startVerification(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    store.clock.set('2027-03-02T09:00:00Z');
    passVerification(
      store.ctx,
      1,
      { expectedVersion: 2, reportUrl: 'https://qc.example.org/r', qc: QC_ALL_OK },
      STAFF,
    );

    expect(checkDelays(store.ctx, new Date('2027-03-09T08:59:00Z')).earlyAdopterSilence).toBe(0);
    expect(checkDelays(store.ctx, new Date('2027-03-09T09:00:00Z')).earlyAdopterSilence).toBe(1);
    expect(checkDelays(store.ctx, new Date('2027-03-10T09:00:00Z')).earlyAdopterSilence).toBe(0);
    expect(topicsOf('early_adopter_silence')[0]?.payload.text.markup).toContain('Candidate sites: SITE-A.');
  });

  it('when an early adopter has reported, then there is no silence warning', () => {
    setUp();
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    toStagedRollout(store.ctx, 1);
    recordEarlyAdopterReport(
      store.ctx,
      {
        submissionId: 1,
        platform: 'el9/x86_64',
        site: 'SITE-A',
        outcome: 'works',
        installKind: 'new',
        tested: 'job submission',
      },
      { userId: 'UEA1', staff: false },
    );
    expect(checkDelays(store.ctx, new Date('2027-03-20T09:00:00Z')).earlyAdopterSilence).toBe(0);
  });
});

describe('waiting for the provider', () => {
  it('when a submission has waited 14 days, then the provider is reminded once, with what is needed', () => {
    setUp();
    moveSubmission(
      store.ctx,
      1,
      { type: 'wait_for_provider', expectedVersion: 1, needed: 'the el8 repository URL' },
      STAFF,
    );
    expect(checkDelays(store.ctx, new Date('2027-03-15T08:59:00Z')).waitingReminders).toBe(0);
    expect(checkDelays(store.ctx, new Date('2027-03-15T09:00:00Z')).waitingReminders).toBe(1);
    expect(checkDelays(store.ctx, new Date('2027-03-20T09:00:00Z')).waitingReminders).toBe(0);

    const reminders = topicsOf('waiting_reminder');
    expect(reminders.map((row) => row.recipient)).toEqual(['UCONTACT1', 'UCONTACT2', 'C0456EFGH']);
    expect(reminders[0]?.payload.text.markup).toContain('The UMD team needs: the el8 repository URL.');
  });
});

describe('reminders already given', () => {
  it('when a ticket waits for its provider a second time, then the second wait is reminded of too, once', () => {
    setUp();
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    const ticket = { kind: 'ticket' as const, id: 1 };
    waitForProvider(store.ctx, ticket, { expectedVersion: 1, needed: 'a signed package' }, STAFF);
    expect(checkDelays(store.ctx, new Date('2027-03-15T09:00:00Z')).waitingReminders).toBe(1);
    expect(checkDelays(store.ctx, new Date('2027-03-16T09:00:00Z')).waitingReminders).toBe(0);

    store.clock.set('2027-03-16T09:00:00Z');
    resume(store.ctx, ticket, { expectedVersion: 2 }, STAFF);
    waitForProvider(store.ctx, ticket, { expectedVersion: 3, needed: 'the el8 build' }, STAFF);
    // 14 days on the local wall clock, over the start of summer time (28 March): 10:00 local is 08:00 UTC now.
    expect(checkDelays(store.ctx, new Date('2027-03-30T07:59:00Z')).waitingReminders).toBe(0);
    expect(checkDelays(store.ctx, new Date('2027-03-30T08:00:00Z')).waitingReminders).toBe(1);
    expect(checkDelays(store.ctx, new Date('2027-03-31T09:00:00Z')).waitingReminders).toBe(0);
    expect(topicsOf('waiting_reminder').at(-1)?.payload.text.markup).toContain('the el8 build');
  });

  it("are skipped by index: each query's condition is its partial index's, so SQLite searches only the items still due one", () => {
    setUp();
    const plan = (sql: string) =>
      (store.handle.sqlite.prepare(`explain query plan ${sql}`).all(0) as { detail: string }[])
        .map((step) => step.detail)
        .join('; ');
    for (const [table, index, condition] of [
      ['tickets', 'tickets_silence_unwarned', DUE_REMINDER.earlyAdopterSilence],
      ['tickets', 'tickets_waiting_unreminded', DUE_REMINDER.waitingForProvider],
      ['submissions', 'submissions_waiting_unreminded', DUE_REMINDER.waitingForProvider],
    ] as const) {
      expect(
        plan(`select id from ${table} indexed by ${index} where ${condition} and entered_at <= ?`),
      ).toContain(`USING INDEX ${index} (entered_at<?)`);
    }
  });
});

describe('the daily digest', () => {
  it('when it is 09:00 on a working day, then one digest lists what is delayed, due soon and waiting; once a day', () => {
    setUp({ DIGEST_TIME: '09:00' }, '2027-03-01T07:00:00Z');
    expect(checkDelays(store.ctx, new Date('2027-03-02T07:59:00Z')).digest).toBe(false); // 08:59 local
    expect(checkDelays(store.ctx, new Date('2027-03-02T08:00:00Z')).digest).toBe(true);
    expect(checkDelays(store.ctx, new Date('2027-03-02T15:00:00Z')).digest).toBe(false);

    const [digest] = topicsOf('digest');
    expect(digest?.key).toBe('digest:2027-03-02');
    expect(digest?.payload.text.markup).toContain('Daily digest for Tuesday 2 March 2027');
    expect(digest?.payload.text.markup).toContain(
      '*Submissions waiting for injection (1)*\n• SUB-1 ARC 6.21.1',
    );
    expect(digest?.payload.text.markup).toContain('*Delayed (0)*: none');
  });

  it('when it is a Saturday or a public holiday, then there is no digest', () => {
    setUp({ DIGEST_TIME: '09:00' });
    expect(checkDelays(store.ctx, new Date('2027-03-06T10:00:00Z')).digest).toBe(false); // Saturday
    expect(checkDelays(store.ctx, new Date('2027-04-27T10:00:00Z')).digest).toBe(false); // King's Day
  });
});

describe('noise control', () => {
  it('when one check produces more than five notices for one recipient, then they go as one combined message', () => {
    setUp();
    for (let i = 0; i < 6; i++) {
      submit(store.ctx, { ...ARC_RELEASE, version: `7.0.${i}` }, CONTACT);
    }
    // SUB-1 … SUB-7 are all overdue at once: seven notices for the UMD channel become one.
    const result = checkDelays(store.ctx, new Date('2027-03-10T10:00:00Z'));
    expect(result.overdueInjections).toHaveLength(7);
    const umd = listOutbox(store.handle.db).filter((row) => row.recipient === 'umd');
    expect(umd).toHaveLength(1);
    expect(umd[0]?.payload.topic).toBe('combined');
    expect(umd[0]?.payload.text.markup.split('\n')[0]).toBe('7 notices from cmd-bot:');
    expect(umd[0]?.payload.parts).toHaveLength(7);
    expect(umd[0]?.payload.total).toBe(7);
    expect(umd[0]?.payload.text.markup).not.toContain('more');
  });
});

describe('a card without contacts', () => {
  it('when a ticket of a product with no contacts is delayed, then the submitter is told and the UMD channel is warned once', () => {
    setUp();
    registerProduct(store.ctx, { name: 'Lonely', platforms: ['el9/x86_64'] }, STAFF);
    submit(store.ctx, { ...ARC_RELEASE, product: 'Lonely' }, STAFF);
    inject(store.ctx, 2, { expectedVersion: 1 }, STAFF);
    submit(store.ctx, { ...ARC_RELEASE, product: 'Lonely', version: '9.9' }, STAFF);
    inject(store.ctx, 3, { expectedVersion: 1 }, STAFF);
    const notSent = listOutbox(store.handle.db).map((row) => row.id);
    markSent(store.handle.db, notSent, new Date('2027-03-01T09:00:00Z'));

    checkDelays(store.ctx, new Date('2027-04-02T09:00:00Z'));

    const delayed = topicsOf('delayed').filter((row) => row.sentAt === null);
    // Both tickets' delays reach the submitter, who is the only person the card knows of.
    expect(new Set(delayed.map((row) => row.recipient))).toEqual(new Set(['USTAFF1']));
    const warnings = topicsOf('card_lacks_contact');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.payload.text.markup).toContain("Lonely's Product ID card lists no contact");
  });
});
