import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyOf, listRefusals } from '../../src/db/repositories/audit.js';
import { listOutbox } from '../../src/db/repositories/outbox.js';
import { findSubmission } from '../../src/db/repositories/submissions.js';
import { listTicketsOfSubmission } from '../../src/db/repositories/tickets.js';
import {
  ConflictError,
  InvalidInputError,
  inject,
  moveSubmission,
  RefusedError,
  registerProduct,
  reject,
  submit,
} from '../../src/services/index.js';
import {
  ARC_CARD,
  ARC_RELEASE,
  CONTACT,
  OTHER_STAFF,
  openTestStore,
  STAFF,
  STRANGER,
  type TestStore,
} from '../support/database.js';

let store: TestStore;
beforeEach(() => {
  // Wed 2027-03-03 14:00 in Amsterdam: injection is due at the end of Wed 2027-03-10.
  store = openTestStore({ start: '2027-03-03T13:00:00Z' });
  registerProduct(store.ctx, ARC_CARD, STAFF);
});
afterEach(() => store.cleanup());

function caught(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('submit', () => {
  it('when a product contact submits, then SUB-1 exists with its injection deadline, history and a new card', () => {
    const { submission } = submit(store.ctx, ARC_RELEASE, CONTACT);

    expect(submission.id).toBe(1);
    expect(submission.state.status).toBe('open');
    expect(submission.state.deadline).toEqual(new Date('2027-03-10T23:00:00Z'));
    expect(submission.platforms).toEqual(['el9/x86_64', 'el8/x86_64']); // the card's default platforms
    expect(submission.packagesByPlatform['el8/x86_64']).toEqual(ARC_RELEASE.packages);
    expect(historyOf(store.handle.db, 'submission', 1)).toMatchObject([
      { event: 'submit', fromStatus: null, toStatus: 'open', actor: CONTACT.userId },
    ]);
    expect(listOutbox(store.handle.db)).toMatchObject([
      { key: 'SUB-1:v1:card', recipientKind: 'card', recipient: '1', payload: { topic: 'card_update' } },
    ]);
  });

  it('when staff submit for a provider, then it is accepted too', () => {
    expect(
      submit(store.ctx, { ...ARC_RELEASE, platforms: ['ubuntu22/amd64'] }, STAFF).submission.platforms,
    ).toEqual(['ubuntu22/amd64']);
  });

  it('when someone who is neither a contact nor staff submits, then it is refused, recorded, and nothing is stored', () => {
    const error = caught(() => submit(store.ctx, ARC_RELEASE, STRANGER));

    expect(error).toBeInstanceOf(RefusedError);
    expect((error as RefusedError).message).toBe(
      "Only ARC's contacts (UCONTACT1, UCONTACT2) or the UMD team can submit its releases. Ask one of them, or ask the UMD team to add you to the Product ID card.",
    );
    // Slack shows the contacts it names as mentions (refusalText); the sentence itself is plain text.
    expect((error as RefusedError).refusal.people).toEqual(['UCONTACT1', 'UCONTACT2']);
    expect(findSubmission(store.handle.db, 1)).toBeNull();
    expect(listRefusals(store.handle.db)).toMatchObject([
      { event: 'submit', actor: 'USTRANGER', kind: 'wrong_role' },
    ]);
    expect(listOutbox(store.handle.db)).toEqual([]);
  });

  it('when the input breaks several rules, then every problem comes back by field and nothing is stored', () => {
    const error = caught(() =>
      submit(store.ctx, { ...ARC_RELEASE, version: 'a b', releaseNotes: 'notes', packages: [] }, CONTACT),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems.map((p) => p.field)).toEqual([
      'version',
      'releaseNotes',
      'packages',
    ]);
    expect(findSubmission(store.handle.db, 1)).toBeNull();
  });

  it('when the product is unknown, then the provider hears which products exist', () => {
    const error = caught(() =>
      submit(store.ctx, { ...ARC_RELEASE, product: 'dCache' }, CONTACT),
    ) as InvalidInputError;
    expect(error.problems).toEqual([
      {
        field: 'product',
        message:
          'The product "dCache" is not registered. Known products: ARC; ask the UMD team to add a Product ID card.',
      },
    ]);
  });

  it('when the same version is already open for that product and distribution, then it is refused naming SUB-1', () => {
    submit(store.ctx, ARC_RELEASE, CONTACT);
    const error = caught(() => submit(store.ctx, ARC_RELEASE, CONTACT));

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(
      'ARC 6.21.1 for UMD-5 is already submitted as SUB-1 (Open). Submit a new version, or ask the UMD team to reject the earlier one first.',
    );
    // Another distribution, or the same version after a rejection, is a new submission.
    expect(submit(store.ctx, { ...ARC_RELEASE, distribution: 'CMD-OS-1' }, CONTACT).submission.id).toBe(2);
    reject(store.ctx, { kind: 'submission', id: 1 }, { expectedVersion: 1, reason: 'wrong packages' }, STAFF);
    expect(submit(store.ctx, ARC_RELEASE, CONTACT).submission.id).toBe(3);
  });

  it('when an injected version still has live tickets, then submitting it again is refused', () => {
    submit(store.ctx, ARC_RELEASE, CONTACT);
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    expect(() => submit(store.ctx, ARC_RELEASE, CONTACT)).toThrow(/already submitted as SUB-1 \(Solved\)/);
  });
});

describe('inject', () => {
  beforeEach(() => {
    submit(store.ctx, ARC_RELEASE, CONTACT);
    store.clock.set('2027-03-04T09:00:00Z');
  });

  it('when staff inject, then one Unverified ticket per platform exists and the submission is solved', () => {
    const { submission, tickets } = inject(store.ctx, 1, { expectedVersion: 1, assignee: 'USTAFF2' }, STAFF);

    expect(submission.state.status).toBe('solved');
    expect(tickets.map((t) => [t.id, t.platform, t.state.status, t.assignee])).toEqual([
      [1, 'el9/x86_64', 'unverified', 'USTAFF2'],
      [2, 'el8/x86_64', 'unverified', 'USTAFF2'],
    ]);
    // Unverified for 1 month from creation, at the same wall-clock time.
    expect(tickets[0]?.state.deadline).toEqual(new Date('2027-04-04T08:00:00Z'));
    expect(tickets[0]?.packages).toEqual(ARC_RELEASE.packages);
    expect(historyOf(store.handle.db, 'ticket', 2)).toMatchObject([
      { event: 'create', toStatus: 'unverified' },
    ]);
  });

  it('when injected, then the submitter, each contact and the contact channel are told the ticket ids', () => {
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);

    const injected = listOutbox(store.handle.db).filter((row) => row.payload.topic === 'injected');
    expect(injected.map((row) => [row.recipientKind, row.recipient])).toEqual([
      ['user', 'UCONTACT1'],
      ['user', 'UCONTACT2'],
      ['channel', 'C0456EFGH'],
    ]);
    expect(injected[0]?.payload.text.markup).toBe(
      'ARC 6.21.1 (UMD-5) (SUB-1) is injected and solved. Tracking tickets: TKT-1 (el9/x86_64), TKT-2 (el8/x86_64).',
    );
    expect(injected[0]?.payload.ticketIds).toEqual([1, 2]);
  });

  it('when only some platforms are confirmed, then only those get tickets; an unknown one is refused', () => {
    expect(() => inject(store.ctx, 1, { expectedVersion: 1, platforms: ['ubuntu22/amd64'] }, STAFF)).toThrow(
      'SUB-1 has no packages for ubuntu22/amd64; choose from el9/x86_64, el8/x86_64.',
    );
    expect(findSubmission(store.handle.db, 1)?.state.status).toBe('open');
    const { tickets } = inject(store.ctx, 1, { expectedVersion: 1, platforms: ['el8/x86_64'] }, STAFF);
    expect(tickets.map((t) => t.platform)).toEqual(['el8/x86_64']);
  });

  it('when the same person clicks Inject twice, then it acts once', () => {
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    const again = inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);

    expect(again.tickets).toHaveLength(2);
    expect(listTicketsOfSubmission(store.handle.db, 1)).toHaveLength(2);
    expect(historyOf(store.handle.db, 'submission', 1).filter((h) => h.event === 'inject')).toHaveLength(1);
  });

  it('when someone else injects from an outdated card, then they are told who injected it and when', () => {
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    const error = caught(() => inject(store.ctx, 1, { expectedVersion: 1 }, OTHER_STAFF));

    expect(error).toBeInstanceOf(RefusedError);
    expect((error as RefusedError).code).toBe('REFUSED_OUTDATED');
    expect((error as Error).message).toContain(
      'The submission was moved by USTAFF1 to Solved at 2027-03-04 09:00 UTC',
    );
    expect(listRefusals(store.handle.db)).toMatchObject([
      { subjectId: 1, event: 'inject', actor: 'USTAFF2', kind: 'outdated' },
    ]);
  });

  it('when a contact tries to inject, then only the UMD team may, and it is recorded', () => {
    expect(() => inject(store.ctx, 1, { expectedVersion: 1 }, CONTACT)).toThrow(
      'Only the UMD team can use “Inject”.',
    );
    expect(listTicketsOfSubmission(store.handle.db, 1)).toEqual([]);
    expect(listRefusals(store.handle.db)).toHaveLength(1);
  });
});

describe('waiting on the provider before injection', () => {
  it('when a submission waits two days and resumes, then its injection deadline moves by those two days and the provider is told what is needed', () => {
    submit(store.ctx, ARC_RELEASE, CONTACT);
    store.clock.set('2027-03-05T09:00:00Z');
    moveSubmission(
      store.ctx,
      1,
      { type: 'wait_for_provider', expectedVersion: 1, needed: 'the el8 repository URL' },
      STAFF,
    );
    store.clock.set('2027-03-07T09:00:00Z');
    const resumed = moveSubmission(store.ctx, 1, { type: 'resume', expectedVersion: 2 }, STAFF);

    expect(resumed.state.status).toBe('open');
    expect(resumed.state.deadline).toEqual(new Date('2027-03-12T23:00:00Z'));
    const waiting = listOutbox(store.handle.db).find((row) => row.payload.topic === 'submission_waiting');
    expect(waiting?.payload.text.markup).toBe(
      'ARC 6.21.1 (UMD-5) (SUB-1) is waiting for you. The UMD team needs: the el8 repository URL. Its injection clock is paused until then.',
    );
  });
});
