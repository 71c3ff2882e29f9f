import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyOf, listRefusals } from '../../src/db/repositories/audit.js';
import { listOutbox } from '../../src/db/repositories/outbox.js';
import { findTicket } from '../../src/db/repositories/tickets.js';
import { type QcAnswer, qcWarnings } from '../../src/domain/quality-criteria.js';
import {
  explainDelay,
  failVerification,
  inject,
  markReady,
  passVerification,
  RefusedError,
  registerProduct,
  reject,
  resume,
  startVerification,
  submit,
  supersede,
  waitForProvider,
} from '../../src/services/index.js';
import {
  ARC_CARD,
  ARC_RELEASE,
  CONTACT,
  OTHER_STAFF,
  openTestStore,
  STAFF,
  settleRows,
  type TestStore,
} from '../support/database.js';
import { caught } from '../support/errors.js';
import { QC_ALL_OK } from '../support/qc.js';
import { toStagedRollout } from '../support/ticket-flow.js';

let store: TestStore;
const TICKET = 1; // TKT-1, el9/x86_64

beforeEach(() => {
  store = openTestStore({ start: '2027-03-01T09:00:00Z' });
  registerProduct(store.ctx, ARC_CARD, STAFF);
  submit(store.ctx, ARC_RELEASE, CONTACT);
  inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
});
afterEach(() => store.cleanup());

const outboxTopics = () =>
  listOutbox(store.handle.db).map((row) => `${row.payload.topic}:${row.recipientKind}:${row.recipient}`);

describe('the main line: Unverified → Verification → Staged Rollout → Ready', () => {
  it('when staff move a ticket through every step, then each step is stored, recorded and told to the right people', () => {
    store.clock.set('2027-03-02T09:00:00Z');
    const verifying = startVerification(store.ctx, TICKET, { expectedVersion: 1 }, STAFF);
    expect(verifying.ticket.state).toMatchObject({ status: 'verification', version: 2 });
    expect(verifying.ticket.state.deadline).toEqual(new Date('2027-03-09T09:00:00Z'));

    store.clock.set('2027-03-05T09:00:00Z');
    passVerification(
      store.ctx,
      TICKET,
      { expectedVersion: 2, reportUrl: '<https://qc.example.org/arc-6.21.1>', qc: QC_ALL_OK },
      STAFF,
    );
    const rollout = findTicket(store.handle.db, TICKET);
    expect(rollout?.state).toMatchObject({
      status: 'staged_rollout',
      verificationReportUrl: 'https://qc.example.org/arc-6.21.1',
    });
    expect(rollout?.state.deadline).toEqual(new Date('2027-04-05T08:00:00Z')); // one month, same wall-clock time

    store.clock.set('2027-03-20T09:00:00Z');
    markReady(store.ctx, TICKET, { expectedVersion: 3, reportUrl: 'https://sr.example.org/arc' }, STAFF);
    const ready = findTicket(store.handle.db, TICKET);
    expect(ready?.state).toMatchObject({
      status: 'ready',
      deadline: null,
      stagedRolloutReportUrl: 'https://sr.example.org/arc',
    });

    expect(
      historyOf(store.handle.db, 'ticket', TICKET).map((h) => `${h.fromStatus ?? '-'}→${h.toStatus}`),
    ).toEqual([
      '-→unverified',
      'unverified→verification',
      'verification→staged_rollout',
      'staged_rollout→ready',
    ]);
    expect(outboxTopics()).toEqual(
      expect.arrayContaining([
        'staged_rollout_started:user:UCONTACT1',
        'staged_rollout_started:channel:C0456EFGH',
        'early_adopter_announcement:team_channel:early_adopters',
        'ready:user:UCONTACT2',
      ]),
    );
  });
});

describe('detours', () => {
  it('when verification fails, then the ticket is Rejected and the product team reads the reason', () => {
    startVerification(store.ctx, TICKET, { expectedVersion: 1 }, STAFF);
    failVerification(
      store.ctx,
      TICKET,
      { expectedVersion: 2, reason: 'accounting records are missing' },
      STAFF,
    );

    expect(findTicket(store.handle.db, TICKET)?.state).toMatchObject({
      status: 'rejected',
      reason: 'accounting records are missing',
    });
    const notice = listOutbox(store.handle.db).find((row) => row.payload.topic === 'verification_failed');
    expect(notice?.payload.text.markup).toBe(
      'TKT-1 ARC 6.21.1 (UMD-5) on el9/x86_64 failed verification: accounting records are missing',
    );
  });

  it('when a ticket in verification waits for the provider and resumes, then it is back in Verification with the paused days added', () => {
    startVerification(store.ctx, TICKET, { expectedVersion: 1 }, STAFF); // due 2027-03-08T09:00Z
    store.clock.set('2027-03-03T09:00:00Z');
    waitForProvider(
      store.ctx,
      { kind: 'ticket', id: TICKET },
      { expectedVersion: 2, needed: 'a fixed el9 build' },
      STAFF,
    );
    store.clock.set('2027-03-05T09:00:00Z');
    resume(store.ctx, { kind: 'ticket', id: TICKET }, { expectedVersion: 3 }, STAFF);

    expect(findTicket(store.handle.db, TICKET)?.state).toMatchObject({
      status: 'verification',
      deadline: new Date('2027-03-10T09:00:00Z'),
      pausedMs: 2 * 86_400_000,
    });
  });

  it('when a newer release replaces a ticket, then staff supersede it and the product team is told', () => {
    supersede(store.ctx, TICKET, { expectedVersion: 1, supersededBy: 'SUB-2' }, STAFF);
    expect(findTicket(store.handle.db, TICKET)?.state).toMatchObject({
      status: 'superseded',
      reason: 'Replaced by SUB-2',
    });
    expect(outboxTopics()).toContain('superseded:user:UCONTACT1');
  });

  it('when staff reject a ticket in staged rollout, then the product team reads why', () => {
    toStagedRollout(store.ctx, TICKET);
    reject(
      store.ctx,
      { kind: 'ticket', id: TICKET },
      { expectedVersion: 3, reason: 'breaks the batch system at SITE-A' },
      STAFF,
    );
    expect(
      listOutbox(store.handle.db).find((row) => row.payload.topic === 'rejected')?.payload.text.markup,
    ).toBe(
      'TKT-1 ARC 6.21.1 (UMD-5) on el9/x86_64 was rejected by the UMD team: breaks the batch system at SITE-A',
    );
  });
});

describe('refusals', () => {
  it('when a product contact tries to move a ticket, then it is refused, recorded, and nothing changes', () => {
    expect(() => startVerification(store.ctx, TICKET, { expectedVersion: 1 }, CONTACT)).toThrow(
      'Only the UMD team can use “Start verification”.',
    );
    expect(findTicket(store.handle.db, TICKET)?.state.version).toBe(1);
    expect(listRefusals(store.handle.db)).toMatchObject([
      {
        subjectType: 'ticket',
        subjectId: TICKET,
        event: 'start_verification',
        actor: CONTACT.userId,
        kind: 'wrong_role',
      },
    ]);
  });

  it('when the same person double-clicks, then the second click changes nothing and sends nothing', () => {
    startVerification(store.ctx, TICKET, { expectedVersion: 1 }, STAFF);
    const before = listOutbox(store.handle.db).length;
    const again = startVerification(store.ctx, TICKET, { expectedVersion: 1 }, STAFF);

    expect(again.repeated).toBe(true);
    expect(historyOf(store.handle.db, 'ticket', TICKET)).toHaveLength(2);
    expect(listOutbox(store.handle.db)).toHaveLength(before);
    expect(listRefusals(store.handle.db)).toEqual([]);
  });

  it('when a colleague clicks an outdated button, then they are told who moved it, to what and when', () => {
    store.clock.set('2027-03-02T10:15:00Z');
    startVerification(store.ctx, TICKET, { expectedVersion: 1 }, STAFF);
    let error: unknown;
    try {
      startVerification(store.ctx, TICKET, { expectedVersion: 1 }, OTHER_STAFF);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as RefusedError).refusal).toMatchObject({
      kind: 'outdated',
      currentStatus: 'verification',
    });
    expect((error as Error).message).toMatch(
      /^The ticket was moved by USTAFF1 to Verification at 2027-03-02 10:15 UTC\./,
    );
    expect(listRefusals(store.handle.db)).toMatchObject([{ actor: 'USTAFF2', kind: 'outdated' }]);
  });

  it('when a move needs a reason or a link and gets none, then it says what to give and nothing changes', () => {
    startVerification(store.ctx, TICKET, { expectedVersion: 1 }, STAFF);
    expect(() =>
      passVerification(
        store.ctx,
        TICKET,
        { expectedVersion: 2, reportUrl: 'qc report', qc: QC_ALL_OK },
        STAFF,
      ),
    ).toThrow(
      'The link to the verification report must be an http(s) link, such as https://example.org/report.',
    );
    expect(() =>
      explainDelay(store.ctx, TICKET, { expectedVersion: 2, category: 'other', text: 'x' }, STAFF),
    ).toThrow(/The ticket is Verification, so “Explain delay” is not possible/);
    expect(findTicket(store.handle.db, TICKET)?.state.status).toBe('verification');
  });

  it('when the ticket does not exist, then the message names it', () => {
    expect(() => startVerification(store.ctx, 99, { expectedVersion: 1 }, STAFF)).toThrow(
      'There is no ticket TKT-99.',
    );
  });
});

describe('early adopters and a second platform', () => {
  const REPORT = { reportUrl: 'https://wiki.egi.eu/reports/arc', qc: QC_ALL_OK };
  const toEarlyAdopters = () =>
    listOutbox(store.handle.db).filter((row) => row.recipient === 'early_adopters');
  const verifyBoth = () => {
    startVerification(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    startVerification(store.ctx, 2, { expectedVersion: 1 }, STAFF);
  };

  it('when both platforms pass before the announcement goes out, then one announcement (rendered when sent) covers both', () => {
    verifyBoth();
    passVerification(store.ctx, 1, { expectedVersion: 2, ...REPORT }, STAFF);
    passVerification(store.ctx, 2, { expectedVersion: 2, ...REPORT }, STAFF);

    expect(toEarlyAdopters().map((row) => [row.key, row.payload.topic])).toEqual([
      ['SUB-1:early_adopter_announcement', 'early_adopter_announcement'],
    ]);
  });

  it.each([
    ['sent', (ids: number[]) => settleRows(store.handle.db, 'sent', ids, new Date('2027-03-02T09:00:00Z'))],
    [
      'being sent',
      (ids: number[]) => settleRows(store.handle.db, 'attempted', ids, new Date('2027-03-02T09:00:00Z')),
    ],
  ])(
    'when the announcement was %s before the second platform passes, then that platform gets a message of its own',
    (_, settle) => {
      verifyBoth();
      passVerification(store.ctx, 1, { expectedVersion: 2, ...REPORT }, STAFF);
      settle(toEarlyAdopters().map((row) => row.id));

      passVerification(store.ctx, 2, { expectedVersion: 2, ...REPORT }, STAFF);

      const added = toEarlyAdopters().at(-1);
      expect(toEarlyAdopters()).toHaveLength(2);
      expect(added).toMatchObject({
        key: 'TKT-2:v3:early_adopter_platform_added:team_channel:early_adopters',
        submissionId: 1,
        payload: { topic: 'early_adopter_platform_added', ticketIds: [2] },
      });
      expect(added?.payload.text.markup).toBe(
        'TKT-2 ARC 6.21.1 (UMD-5) on el8/x86_64 is now also ready for staged rollout. Early adopters: install it and report "Installed, works" or "Problem found".',
      );
    },
  );
});

describe('quality criteria', () => {
  const answers = (overrides: Record<string, { result: QcAnswer['result']; note?: string }>) =>
    QC_ALL_OK.map((answer) => ({ ...answer, ...overrides[answer.id] }));

  it('when Verification passed leaves a critical criterion unanswered, then it is refused by field, recorded as refused, and the ticket is unchanged', () => {
    startVerification(store.ctx, TICKET, { expectedVersion: 1 }, STAFF);
    const attempt = () =>
      passVerification(
        store.ctx,
        TICKET,
        {
          expectedVersion: 2,
          reportUrl: 'https://qc.example.org/r',
          qc: answers({ QC_DOC_1: { result: null }, QC_SEC_1: { result: 'not_applicable' } }),
        },
        STAFF,
      );
    expect(caught(RefusedError, attempt).refusal.fieldProblems).toEqual([
      {
        field: 'qc:QC_DOC_1',
        message:
          'QC_DOC_1 Release Notes is critical: give its result; the move needs OK, Warning or Not applicable.',
      },
      { field: 'qcnote:QC_SEC_1', message: 'Say why QC_SEC_1 X.509 Certificate support does not apply.' },
    ]);
    const ticket = findTicket(store.handle.db, TICKET);
    expect(ticket?.state).toMatchObject({ status: 'verification', version: 2 });
    expect(ticket?.qcResults).toBeNull();
    expect(outboxTopics().filter((topic) => topic.startsWith('staged_rollout_started'))).toEqual([]);
    expect(listRefusals(store.handle.db).at(-1)).toMatchObject({
      event: 'pass_verification',
      kind: 'invalid',
    });
  });

  it('when Verification passed answers every criterion, then the ticket keeps the results with the move', () => {
    startVerification(store.ctx, TICKET, { expectedVersion: 1 }, STAFF);
    passVerification(
      store.ctx,
      TICKET,
      {
        expectedVersion: 2,
        reportUrl: 'https://qc.example.org/r',
        qc: answers({
          QC_SEC_5: { result: 'warning', note: 'Two log files are world-writable' },
          QC_DOC_2: { result: 'not_applicable', note: 'No user-side tool' },
          QC_DOC_3: { result: null },
        }),
      },
      STAFF,
    );
    const ticket = findTicket(store.handle.db, TICKET);
    expect(ticket?.state.status).toBe('staged_rollout');
    expect(ticket?.qcResults).toHaveLength(21);
    expect(ticket?.qcResults?.filter((r) => r.result !== 'ok')).toEqual([
      {
        id: 'QC_DOC_2',
        name: 'User Documentation',
        critical: true,
        result: 'not_applicable',
        note: 'No user-side tool',
      },
      { id: 'QC_DOC_3', name: 'API Documentation', critical: false, result: null, note: null },
      {
        id: 'QC_SEC_5',
        name: 'World Writable Files',
        critical: true,
        result: 'warning',
        note: 'Two log files are world-writable',
      },
    ]);
    expect(qcWarnings(ticket?.qcResults ?? [])).toEqual([
      'QC_SEC_5 World Writable Files: Two log files are world-writable',
    ]);
  });

  it('when Verification failed names the criteria that failed, then they are stored as failed and the product team reads them', () => {
    startVerification(store.ctx, TICKET, { expectedVersion: 1 }, STAFF);
    failVerification(
      store.ctx,
      TICKET,
      {
        expectedVersion: 2,
        reason: 'accounting records are missing.',
        failedCriteria: ['QC_ACC_1', 'QC_DOC_1'],
      },
      STAFF,
    );
    expect(findTicket(store.handle.db, TICKET)?.qcResults).toEqual([
      { id: 'QC_DOC_1', name: 'Release Notes', critical: true, result: 'fail', note: null },
      { id: 'QC_ACC_1', name: 'Accounting Records', critical: true, result: 'fail', note: null },
    ]);
    const notice = listOutbox(store.handle.db).find((row) => row.payload.topic === 'verification_failed');
    expect(notice?.payload.text.markup).toBe(
      'TKT-1 ARC 6.21.1 (UMD-5) on el9/x86_64 failed verification: accounting records are missing. Quality criteria that failed: QC_DOC_1 Release Notes, QC_ACC_1 Accounting Records.',
    );
  });

  it('when Verification failed names a criterion that does not exist, then it is refused and nothing is stored', () => {
    startVerification(store.ctx, TICKET, { expectedVersion: 1 }, STAFF);
    expect(() =>
      failVerification(
        store.ctx,
        TICKET,
        { expectedVersion: 2, reason: 'broken', failedCriteria: ['QC_NOPE_1'] },
        STAFF,
      ),
    ).toThrow('QC_NOPE_1 is not among the quality criteria; choose from the list.');
    expect(findTicket(store.handle.db, TICKET)).toMatchObject({
      qcResults: null,
      state: { status: 'verification' },
    });
  });
});
