import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyOf } from '../../src/db/repositories/audit.js';
import { reportsOfSubmission } from '../../src/db/repositories/early-adopter-reports.js';
import { listOutbox } from '../../src/db/repositories/outbox.js';
import { findTicket } from '../../src/db/repositories/tickets.js';
import { Mrkdwn } from '../../src/mrkdwn.js';
import {
  type Caller,
  checkDelays,
  type EarlyAdopterReportInput,
  InvalidInputError,
  inject,
  markReady,
  NotFoundError,
  passVerification,
  RateLimitedError,
  REPORTS_PER_MINUTE,
  recordEarlyAdopterReport,
  registerProduct,
  startVerification,
  submit,
} from '../../src/services/index.js';
import { ARC_CARD, ARC_RELEASE, CONTACT, openTestStore, STAFF, type TestStore } from '../support/database.js';
import { caught } from '../support/errors.js';
import { QC_ALL_OK } from '../support/qc.js';

/** Someone at an early-adopter site: neither staff nor a contact of the product. */
const ADOPTER: Caller = { userId: 'UADOPTER1', staff: false };
const OTHER_ADOPTER: Caller = { userId: 'UADOPTER2', staff: false };

let store: TestStore;
let submissionId: number;
let el9TicketId: number;
let el8TicketId: number;

beforeEach(() => {
  // Wed 2027-03-03 14:00 in Amsterdam.
  store = openTestStore({ start: '2027-03-03T13:00:00Z' });
  const { ctx, clock } = store;
  registerProduct(ctx, ARC_CARD, STAFF);
  submissionId = submit(ctx, ARC_RELEASE, CONTACT).submission.id;
  clock.set('2027-03-04T09:00:00Z');
  const { tickets } = inject(ctx, submissionId, { expectedVersion: 1 }, STAFF);
  el9TicketId = tickets.find((ticket) => ticket.platform === 'el9/x86_64')?.id ?? -1;
  el8TicketId = tickets.find((ticket) => ticket.platform === 'el8/x86_64')?.id ?? -1;
  clock.set('2027-03-05T09:00:00Z');
  startVerification(ctx, el9TicketId, { expectedVersion: 1 }, STAFF);
  // Tue 2027-03-09 10:00 in Amsterdam: the el9 ticket's Staged Rollout limit passes at 2027-04-09T08:00Z.
  clock.set('2027-03-09T09:00:00Z');
  passVerification(
    ctx,
    el9TicketId,
    { expectedVersion: 2, reportUrl: 'https://example.org/verification/1', qc: QC_ALL_OK },
    STAFF,
  );
  clock.set('2027-03-10T09:00:00Z');
});
afterEach(() => store.cleanup());

const report = (fields: Partial<EarlyAdopterReportInput> = {}): EarlyAdopterReportInput => ({
  submissionId,
  platform: 'el9/x86_64',
  site: 'SITE-A',
  outcome: 'works',
  installKind: 'new',
  tested: 'job submission',
  ...fields,
});

const storedReports = () => reportsOfSubmission(store.handle.db, submissionId);
const reportHistory = () =>
  historyOf(store.handle.db, 'ticket', el9TicketId).filter((row) => row.event === 'early_adopter_report');

describe('recordEarlyAdopterReport', () => {
  it('when a site reports that the release works, then the report is stored with site, platform and reporter', () => {
    const { report: stored, repeated } = recordEarlyAdopterReport(
      store.ctx,
      report({ site: ' SITE-A ' }),
      ADOPTER,
    );

    expect(repeated).toBe(false);
    expect(storedReports()).toEqual([
      {
        id: stored.id,
        ticketId: el9TicketId,
        reporter: ADOPTER.userId,
        site: 'SITE-A',
        platform: 'el9/x86_64',
        outcome: 'works',
        details: null,
        installKind: 'new',
        upgradedFrom: null,
        tested: 'job submission',
        workaround: null,
        at: new Date('2027-03-10T09:00:00Z'),
        listedSite: true,
      },
    ]);
  });

  it("when a report is stored, then the ticket's history says who reported what from which site", () => {
    recordEarlyAdopterReport(store.ctx, report(), ADOPTER);

    expect(reportHistory()).toMatchObject([
      {
        subjectType: 'ticket',
        subjectId: el9TicketId,
        fromStatus: 'staged_rollout',
        toStatus: 'staged_rollout',
        actor: ADOPTER.userId,
        reason: 'SITE-A: installed, works (new install; tested: job submission)',
        at: new Date('2027-03-10T09:00:00Z'),
      },
    ]);
  });

  it("when a report is stored, then the submission's card is told about it", () => {
    const before = listOutbox(store.handle.db).length;

    const { report: stored } = recordEarlyAdopterReport(store.ctx, report(), ADOPTER);

    expect(listOutbox(store.handle.db).slice(before)).toMatchObject([
      {
        key: `EA-${stored.id}:${Date.parse('2027-03-10T09:00:00Z')}:card`,
        recipientKind: 'card',
        recipient: String(submissionId),
        submissionId,
        payload: {
          topic: 'card_update',
          text: Mrkdwn.stored(
            `<@UADOPTER1> (SITE-A) reports on TKT-${el9TicketId} el9/x86_64: installed, works (new install; tested: job submission)`,
          ),
        },
        nextAttemptAt: new Date('2027-03-10T09:00:00Z'),
      },
    ]);
  });

  it('when a site reports a problem with details, then the details are stored and shown on the card', () => {
    recordEarlyAdopterReport(
      store.ctx,
      report({ outcome: 'problem', details: '  The A-REX service does not start after the update.  ' }),
      ADOPTER,
    );

    expect(storedReports()).toMatchObject([
      { outcome: 'problem', details: 'The A-REX service does not start after the update.' },
    ]);
    expect(reportHistory()[0]?.reason).toBe(
      'SITE-A: problem found: The A-REX service does not start after the update. (new install; tested: job submission)',
    );
    expect(listOutbox(store.handle.db).at(-1)?.payload.text.markup).toBe(
      `<@UADOPTER1> (SITE-A) reports on TKT-${el9TicketId} el9/x86_64: problem found: The A-REX service does not start after the update. (new install; tested: job submission)`,
    );
  });

  it('when the same person sends the same report twice, then it is stored, recorded and announced once, with the time of the last', () => {
    const first = recordEarlyAdopterReport(store.ctx, report(), ADOPTER);
    const outboxAfterFirst = listOutbox(store.handle.db).length;
    store.clock.set('2027-03-10T09:00:05Z');

    const second = recordEarlyAdopterReport(store.ctx, report({ site: 'site-a' }), ADOPTER);

    expect(second).toEqual({
      report: { ...first.report, site: 'site-a', at: new Date('2027-03-10T09:00:05Z') },
      repeated: true,
    });
    expect(storedReports()).toHaveLength(1);
    expect(reportHistory()).toHaveLength(1);
    expect(listOutbox(store.handle.db)).toHaveLength(outboxAfterFirst);
  });

  it('when another person sends the same report, then it is stored as a report of its own', () => {
    recordEarlyAdopterReport(store.ctx, report(), ADOPTER);

    const second = recordEarlyAdopterReport(store.ctx, report(), OTHER_ADOPTER);

    expect(second.repeated).toBe(false);
    expect(storedReports().map((stored) => stored.reporter)).toEqual([ADOPTER.userId, OTHER_ADOPTER.userId]);
  });

  it('when a problem is reported without details, then it asks to describe the problem and stores nothing', () => {
    const error = caught(InvalidInputError, () =>
      recordEarlyAdopterReport(store.ctx, report({ outcome: 'problem', details: '   ' }), ADOPTER),
    );

    expect(error.problems).toEqual([{ field: 'details', message: 'Describe what happened.' }]);
    expect(storedReports()).toEqual([]);
  });

  it('when the site is empty, then it asks for the name of the site and stores nothing', () => {
    const error = caught(InvalidInputError, () =>
      recordEarlyAdopterReport(store.ctx, report({ site: '  ' }), ADOPTER),
    );

    expect(error.problems).toEqual([{ field: 'site', message: 'Give the name of your site.' }]);
    expect(storedReports()).toEqual([]);
  });

  it('when the site is empty and a problem has no details, then both are asked for at once', () => {
    const error = caught(InvalidInputError, () =>
      recordEarlyAdopterReport(store.ctx, report({ site: '', outcome: 'problem' }), ADOPTER),
    );

    expect(error.message).toBe('Give the name of your site.\nDescribe what happened.');
  });

  it('when the platform is not in staged rollout yet, then it is refused naming where the release is in rollout', () => {
    expect(findTicket(store.handle.db, el8TicketId)?.state.status).toBe('unverified');

    const error = caught(InvalidInputError, () =>
      recordEarlyAdopterReport(store.ctx, report({ platform: 'el8/x86_64' }), ADOPTER),
    );

    expect(error.message).toBe(`SUB-${submissionId} is in staged rollout on el9/x86_64, not on el8/x86_64.`);
    expect(storedReports()).toEqual([]);
  });

  it('when the submission does not exist, then it says so', () => {
    const error = caught(NotFoundError, () =>
      recordEarlyAdopterReport(store.ctx, report({ submissionId: 404 }), ADOPTER),
    );

    expect(error.message).toBe('There is no submission SUB-404.');
  });

  it('when the ticket was Delayed from Staged Rollout, then reports are still accepted', () => {
    store.clock.set('2027-04-12T09:00:00Z');
    checkDelays(store.ctx);
    expect(findTicket(store.handle.db, el9TicketId)?.state).toMatchObject({
      status: 'delayed',
      delayedFrom: 'staged_rollout',
    });

    const { repeated } = recordEarlyAdopterReport(
      store.ctx,
      report({ site: 'SITE-B', outcome: 'problem', details: 'Jobs fail with a proxy error.' }),
      ADOPTER,
    );

    expect(repeated).toBe(false);
    expect(storedReports()).toMatchObject([
      { site: 'SITE-B', outcome: 'problem', ticketId: el9TicketId, at: new Date('2027-04-12T09:00:00Z') },
    ]);
    expect(reportHistory()).toMatchObject([
      {
        fromStatus: 'delayed',
        toStatus: 'delayed',
        reason:
          'SITE-B (not on the card): problem found: Jobs fail with a proxy error. (new install; tested: job submission)',
      },
    ]);
  });

  it('when the ticket is marked ready, then reports are refused because staged rollout is over', () => {
    markReady(
      store.ctx,
      el9TicketId,
      { expectedVersion: 3, reportUrl: 'https://example.org/rollout/1' },
      STAFF,
    );

    const error = caught(InvalidInputError, () => recordEarlyAdopterReport(store.ctx, report(), ADOPTER));

    expect(error.message).toBe(
      `SUB-${submissionId} is not in staged rollout any more, so it takes no reports.`,
    );
    expect(storedReports()).toEqual([]);
  });

  // FIXED: the outcome is never checked at run time (the type says 'works' | 'problem', but the CLI and Slack
  // pass what people type, and the table has no CHECK constraint). 'maybe' is stored as it is, and the card
  // says "problem found: null". Other use cases check such values themselves (explain_delay's category).
  it('when the outcome is neither works nor problem, then it is refused and nothing is stored', () => {
    const input = { ...report(), outcome: 'maybe' } as unknown as EarlyAdopterReportInput;

    const error = caught(InvalidInputError, () => recordEarlyAdopterReport(store.ctx, input, ADOPTER));

    expect(error.problems.map((problem) => problem.field)).toEqual(['outcome']);
    expect(storedReports()).toEqual([]);
  });
});

describe('early-adopter reports that would flood', () => {
  // FIXED (src/services/early-adopters.ts): 200 reports from 7 users all claiming one listed site were all
  // accepted: 200 rows, and thread replies of 7,000+ characters.
  it('when one person reports again from the same site with other words, then the one report is updated in place and the card told', () => {
    const first = recordEarlyAdopterReport(
      store.ctx,
      report({ outcome: 'problem', details: 'slow' }),
      ADOPTER,
    );
    store.clock.set('2027-03-10T09:00:30Z');

    const second = recordEarlyAdopterReport(
      store.ctx,
      report({ site: 'Site-A', outcome: 'problem', details: 'slow, and a workaround: restart' }),
      ADOPTER,
    );

    expect(second.repeated).toBe(false);
    expect(storedReports()).toEqual([
      {
        ...first.report,
        site: 'Site-A',
        details: 'slow, and a workaround: restart',
        at: new Date('2027-03-10T09:00:30Z'),
      },
    ]);
    const lines = listOutbox(store.handle.db)
      .filter((row) => row.key.startsWith('EA-'))
      .map((row) => row.payload.text.markup);
    expect(lines).toEqual([
      `<@UADOPTER1> (SITE-A) reports on TKT-${el9TicketId} el9/x86_64: problem found: slow (new install; tested: job submission)`,
      `<@UADOPTER1> (Site-A) updated their report on TKT-${el9TicketId} el9/x86_64: problem found: slow, and a workaround: restart (new install; tested: job submission)`,
    ]);
  });

  it('when a site that is not on the product’s card reports, then the report is marked as from an unlisted site', () => {
    recordEarlyAdopterReport(store.ctx, report({ site: 'SITE-Z' }), ADOPTER);

    expect(storedReports()).toMatchObject([{ site: 'SITE-Z', listedSite: false }]);
    expect(listOutbox(store.handle.db).at(-1)?.payload.text.markup).toContain('(SITE-Z, not on the card)');
  });

  it('when one person sends more than five reports in a minute, then the sixth is refused, nothing of it is stored, and a minute later it is taken', () => {
    for (let i = 1; i <= REPORTS_PER_MINUTE; i++) {
      recordEarlyAdopterReport(store.ctx, report({ site: `SITE-${i}` }), ADOPTER);
    }
    const outbox = listOutbox(store.handle.db).length;

    const error = caught(RateLimitedError, () =>
      recordEarlyAdopterReport(store.ctx, report({ site: 'SITE-6' }), ADOPTER),
    );

    expect(error.message).toBe(
      'You sent more than 5 reports in a minute. Please wait a minute, then send yours again.',
    );
    expect(storedReports()).toHaveLength(REPORTS_PER_MINUTE);
    expect(listOutbox(store.handle.db)).toHaveLength(outbox);
    // Someone else is not held back by it.
    expect(recordEarlyAdopterReport(store.ctx, report({ site: 'SITE-6' }), OTHER_ADOPTER).repeated).toBe(
      false,
    );
    store.clock.set('2027-03-10T09:01:00Z');
    expect(recordEarlyAdopterReport(store.ctx, report({ site: 'SITE-6' }), ADOPTER).repeated).toBe(false);
  });

  it('when 7 people send 200 reports all claiming one listed site, then one report counts per person and outcome', () => {
    const people = Array.from(
      { length: 7 },
      (_, i): Caller => ({ userId: `UADOPTER${i + 10}`, staff: false }),
    );
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      store.clock.set(new Date(Date.parse('2027-03-10T09:00:00Z') + i * 1000));
      const person = people[i % people.length] as Caller;
      try {
        recordEarlyAdopterReport(
          store.ctx,
          report(i % 2 ? { outcome: 'works' } : { outcome: 'problem', details: `attempt ${i}` }),
          person,
        );
      } catch (error) {
        expect(error).toBeInstanceOf(RateLimitedError);
        refused += 1;
      }
    }

    expect(storedReports().length).toBeLessThanOrEqual(14);
    expect(refused).toBeGreaterThan(0);
  });
});

describe('structured early-adopter reports', () => {
  it('when an upgrade names no version, nothing says what was tested and no install kind is given, then each is refused by field and nothing is stored', () => {
    const upgrade = caught(InvalidInputError, () =>
      recordEarlyAdopterReport(
        store.ctx,
        report({ installKind: 'upgrade', upgradedFrom: '  ', tested: ' \n ' }),
        ADOPTER,
      ),
    );
    const noKind = caught(InvalidInputError, () =>
      recordEarlyAdopterReport(
        store.ctx,
        { ...report(), installKind: '' as unknown as EarlyAdopterReportInput['installKind'] },
        ADOPTER,
      ),
    );

    expect(upgrade.problems).toEqual([
      { field: 'upgradedFrom', message: 'Give the version you upgraded from.' },
      { field: 'tested', message: 'Say what you tested.' },
    ]);
    expect(noKind.problems).toEqual([
      { field: 'installKind', message: 'Say whether this was a new install or an upgrade.' },
    ]);
    expect(storedReports()).toEqual([]);
  });

  it('when a new install names a version upgraded from, or a field is too long, then it is refused at that field', () => {
    const error = caught(InvalidInputError, () =>
      recordEarlyAdopterReport(
        store.ctx,
        report({ outcome: 'problem', upgradedFrom: '6.20.0', details: 'x', workaround: 'w'.repeat(3001) }),
        ADOPTER,
      ),
    );

    expect(error.problems.map((problem) => problem.field)).toEqual(['upgradedFrom', 'workaround']);
    expect(storedReports()).toEqual([]);
  });

  it('when a problem with a workaround is reported from an upgrade, then every field is stored and the card hears all of it on one line', () => {
    recordEarlyAdopterReport(
      store.ctx,
      report({
        outcome: 'problem',
        installKind: 'upgrade',
        upgradedFrom: ' 6.20.0 ',
        tested: 'job submission\nand data staging',
        details: 'A-REX does not start',
        workaround: 'restart it\nafter the upgrade',
      }),
      ADOPTER,
    );

    expect(storedReports()).toMatchObject([
      {
        installKind: 'upgrade',
        upgradedFrom: '6.20.0',
        tested: 'job submission\nand data staging',
        details: 'A-REX does not start',
        workaround: 'restart it\nafter the upgrade',
      },
    ]);
    expect(listOutbox(store.handle.db).at(-1)?.payload.text.markup).toBe(
      `<@UADOPTER1> (SITE-A) reports on TKT-${el9TicketId} el9/x86_64: problem found (workaround: restart it after the upgrade): A-REX does not start (upgrade from 6.20.0; tested: job submission and data staging)`,
    );
  });

  it('when a works report gives a workaround, then it is not kept: only a problem has one', () => {
    recordEarlyAdopterReport(store.ctx, report({ workaround: 'none needed' }), ADOPTER);

    expect(storedReports()).toMatchObject([{ outcome: 'works', workaround: null }]);
  });

  it('when the same report comes again, then it is a repeat; when only what was tested or the workaround changed, then it is updated in place and the card told', () => {
    const problem = { outcome: 'problem', details: 'slow', workaround: 'wait' } as const;
    const first = recordEarlyAdopterReport(store.ctx, report(problem), ADOPTER);
    store.clock.set('2027-03-10T09:00:10Z');
    const repeat = recordEarlyAdopterReport(store.ctx, report(problem), ADOPTER);
    store.clock.set('2027-03-10T09:00:20Z');
    const retested = recordEarlyAdopterReport(store.ctx, report({ ...problem, tested: 'more' }), ADOPTER);
    store.clock.set('2027-03-10T09:00:30Z');
    const newWorkaround = recordEarlyAdopterReport(
      store.ctx,
      report({ ...problem, tested: 'more', workaround: 'restart' }),
      ADOPTER,
    );

    expect([repeat.repeated, retested.repeated, newWorkaround.repeated]).toEqual([true, false, false]);
    expect(storedReports()).toEqual([
      {
        ...first.report,
        tested: 'more',
        workaround: 'restart',
        at: new Date('2027-03-10T09:00:30Z'),
      },
    ]);
    expect(reportHistory()).toHaveLength(3);
  });
});

describe('Ready for release without a site saying it works', () => {
  it('when no site reported "Installed, works" on the platform, then the ticket records it and the history says so', () => {
    recordEarlyAdopterReport(store.ctx, report({ outcome: 'problem', details: 'slow' }), ADOPTER);

    markReady(
      store.ctx,
      el9TicketId,
      { expectedVersion: 3, reportUrl: 'https://example.org/rollout/1' },
      STAFF,
    );

    expect(findTicket(store.handle.db, el9TicketId)).toMatchObject({
      readyWithoutWorksReport: true,
      state: { status: 'ready' },
    });
    expect(historyOf(store.handle.db, 'ticket', el9TicketId).at(-1)).toMatchObject({
      event: 'mark_ready',
      reason:
        'https://example.org/rollout/1 · No early-adopter site reported "Installed, works" on el9/x86_64',
    });
  });

  it('when a site reported that it works, then the ticket is Ready with nothing more recorded', () => {
    recordEarlyAdopterReport(store.ctx, report(), ADOPTER);

    markReady(store.ctx, el9TicketId, { expectedVersion: 3 }, STAFF);

    expect(findTicket(store.handle.db, el9TicketId)?.readyWithoutWorksReport).toBe(false);
    expect(historyOf(store.handle.db, 'ticket', el9TicketId).at(-1)).toMatchObject({
      event: 'mark_ready',
      reason: null,
    });
  });
});
