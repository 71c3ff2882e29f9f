import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allHistory } from '../../src/db/repositories/audit.js';
import {
  checkDelays,
  exportAll,
  getStatus,
  InvalidInputError,
  inject,
  type ListRow,
  listItems,
  NotFoundError,
  passVerification,
  RefusedError,
  registerProduct,
  reject,
  startVerification,
  submit,
  waitForProvider,
} from '../../src/services/index.js';
import {
  ARC_CARD,
  ARC_RELEASE,
  CONTACT,
  openTestStore,
  STAFF,
  STRANGER,
  type TestStore,
} from '../support/database.js';
import { caught } from '../support/errors.js';
import { QC_ALL_OK } from '../support/qc.js';

const DCACHE_CARD = { name: 'dCache', contacts: [CONTACT.userId], platforms: ['el9/x86_64'] };
const DCACHE_RELEASE = {
  product: 'dCache',
  version: '9.2.0',
  releaseNotes: 'https://www.dcache.org/old/downloads/1.9/release-notes-9.2.shtml',
  packages: ['dcache'],
};

let store: TestStore;
beforeEach(() => {
  // Wed 2027-03-03 14:00 in Amsterdam: a submission made now is due for injection at 2027-03-10T23:00Z.
  store = openTestStore({ start: '2027-03-03T13:00:00Z' });
  registerProduct(store.ctx, ARC_CARD, STAFF);
  registerProduct(store.ctx, DCACHE_CARD, STAFF);
});
afterEach(() => store.cleanup());

const ids = (rows: readonly ListRow[]) => rows.map((row) => row.id);

/**
 * ARC 6.21.1 submitted now (SUB-1) and injected on Thu 2027-03-04 10:00 local: TKT-1 (el9) and TKT-2 (el8),
 * both Unverified until 2027-04-04T08:00Z. TKT-1 enters Verification on Fri 2027-03-05, due 2027-03-12T09:00Z.
 */
function arcInjectedWithOneTicketInVerification() {
  const { submission } = submit(store.ctx, ARC_RELEASE, CONTACT);
  store.clock.set('2027-03-04T09:00:00Z');
  const { tickets } = inject(store.ctx, submission.id, { expectedVersion: 1 }, STAFF);
  store.clock.set('2027-03-05T09:00:00Z');
  startVerification(store.ctx, 1, { expectedVersion: 1 }, STAFF);
  return { submission, tickets };
}

describe('getStatus', () => {
  it('when asked for a SUB id, then it shows the submission, its product, its tickets and its history oldest first', () => {
    arcInjectedWithOneTicketInVerification();

    const view = getStatus(store.ctx, { kind: 'submission', id: 1 });

    expect(view.submission).toMatchObject({ id: 1, version: '6.21.1', state: { status: 'solved' } });
    expect(view.product.name).toBe('ARC');
    expect(view.tickets.map((ticket) => [ticket.id, ticket.platform, ticket.state.status])).toEqual([
      [1, 'el9/x86_64', 'verification'],
      [2, 'el8/x86_64', 'unverified'],
    ]);
    expect(view.history.map((row) => [row.subject, row.event, row.at.toISOString()])).toEqual([
      ['SUB-1', 'submit', '2027-03-03T13:00:00.000Z'],
      ['SUB-1', 'inject', '2027-03-04T09:00:00.000Z'],
      ['TKT-1', 'create', '2027-03-04T09:00:00.000Z'],
      ['TKT-2', 'create', '2027-03-04T09:00:00.000Z'],
      ['TKT-1', 'start_verification', '2027-03-05T09:00:00.000Z'],
    ]);
  });

  it('when asked for a TKT id, then it shows the submission it belongs to with all its tickets and the merged history', () => {
    arcInjectedWithOneTicketInVerification();
    store.clock.set('2027-03-08T09:00:00Z');
    passVerification(
      store.ctx,
      1,
      { expectedVersion: 2, reportUrl: 'https://example.org/verification/1', qc: QC_ALL_OK },
      STAFF,
    );

    const view = getStatus(store.ctx, { kind: 'ticket', id: 2 });

    expect(view.submission.id).toBe(1);
    expect(view.tickets.map((ticket) => ticket.id)).toEqual([1, 2]);
    expect(view.history.map((row) => `${row.subject} ${row.event}`)).toEqual([
      'SUB-1 submit',
      'SUB-1 inject',
      'TKT-1 create',
      'TKT-2 create',
      'TKT-1 start_verification',
      'TKT-1 pass_verification',
    ]);
    expect(view.history.at(-1)).toMatchObject({
      fromStatus: 'verification',
      toStatus: 'staged_rollout',
      actor: STAFF.userId,
      reason: 'https://example.org/verification/1',
    });
    expect(getStatus(store.ctx, { kind: 'submission', id: 1 })).toEqual(view);
  });

  it('when a submission was not injected yet, then it shows it without tickets', () => {
    submit(store.ctx, ARC_RELEASE, CONTACT);

    const view = getStatus(store.ctx, { kind: 'submission', id: 1 });

    expect(view.submission.state).toMatchObject({
      status: 'open',
      deadline: new Date('2027-03-10T23:00:00Z'),
    });
    expect(view.tickets).toEqual([]);
    expect(view.history.map((row) => row.subject)).toEqual(['SUB-1']);
  });

  it('when the id is unknown, then it says there is no such submission or ticket', () => {
    submit(store.ctx, ARC_RELEASE, CONTACT);

    expect(caught(NotFoundError, () => getStatus(store.ctx, { kind: 'submission', id: 99 })).message).toBe(
      'There is no submission SUB-99.',
    );
    expect(caught(NotFoundError, () => getStatus(store.ctx, { kind: 'ticket', id: 99 })).message).toBe(
      'There is no ticket TKT-99.',
    );
  });
});

describe('listItems', () => {
  it('when nothing is filtered, then submissions not injected yet and tickets are listed, an injected submission through its tickets', () => {
    arcInjectedWithOneTicketInVerification(); // SUB-1, TKT-1, TKT-2
    submit(store.ctx, DCACHE_RELEASE, CONTACT); // SUB-2, open
    submit(store.ctx, { ...ARC_RELEASE, version: '6.22.0' }, CONTACT); // SUB-3, waiting
    waitForProvider(
      store.ctx,
      { kind: 'submission', id: 3 },
      { expectedVersion: 1, needed: 'Signed packages' },
      STAFF,
    );
    submit(store.ctx, { ...ARC_RELEASE, version: '6.23.0' }, CONTACT); // SUB-4, rejected
    reject(store.ctx, { kind: 'submission', id: 4 }, { expectedVersion: 1, reason: 'Wrong packages' }, STAFF);

    const rows = listItems(store.ctx);

    expect(rows.map((row) => [row.id, row.product, row.version, row.platform, row.statusLabel])).toEqual([
      ['SUB-2', 'dCache', '9.2.0', null, 'Open'],
      ['SUB-3', 'ARC', '6.22.0', null, 'Waiting for provider'],
      ['TKT-1', 'ARC', '6.21.1', 'el9/x86_64', 'Verification'],
      ['TKT-2', 'ARC', '6.21.1', 'el8/x86_64', 'Unverified'],
    ]);
    expect(rows.find((row) => row.id === 'TKT-1')).toEqual({
      id: 'TKT-1',
      kind: 'ticket',
      product: 'ARC',
      version: '6.21.1',
      distribution: 'UMD-5',
      platform: 'el9/x86_64',
      status: 'verification',
      statusLabel: 'Verification',
      security: false,
      deadline: new Date('2027-03-12T09:00:00Z'),
      overdue: false,
    });
  });

  it('when filtered by status written as a key, a label or with dashes, then the same tickets are listed', () => {
    arcInjectedWithOneTicketInVerification();
    passVerification(
      store.ctx,
      1,
      { expectedVersion: 2, reportUrl: 'https://example.org/verification/1', qc: QC_ALL_OK },
      STAFF,
    );
    submit(store.ctx, DCACHE_RELEASE, CONTACT);

    for (const status of ['staged_rollout', 'Staged Rollout', 'staged-rollout', ' STAGED ROLLOUT ']) {
      expect(ids(listItems(store.ctx, { status })), status).toEqual(['TKT-1']);
    }
  });

  it('when filtered by a status both submissions and tickets have, then both kinds are listed', () => {
    arcInjectedWithOneTicketInVerification();
    waitForProvider(
      store.ctx,
      { kind: 'ticket', id: 2 },
      { expectedVersion: 1, needed: 'el8 packages' },
      STAFF,
    );
    submit(store.ctx, DCACHE_RELEASE, CONTACT);
    waitForProvider(
      store.ctx,
      { kind: 'submission', id: 2 },
      { expectedVersion: 1, needed: 'Signed packages' },
      STAFF,
    );

    expect(ids(listItems(store.ctx, { status: 'Waiting for provider' }))).toEqual(['SUB-2', 'TKT-2']);
    expect(ids(listItems(store.ctx, { status: 'solved' }))).toEqual(['SUB-1']);
    expect(ids(listItems(store.ctx, { status: 'open' }))).toEqual([]);
  });

  it('when the status is unknown, then it is refused listing the statuses there are', () => {
    const error = caught(InvalidInputError, () => listItems(store.ctx, { status: 'pending' }));

    expect(error.message).toBe(
      'Unknown status "pending". Use one of: unverified, verification, staged_rollout, ready, delayed, rejected, ' +
        'waiting_for_provider, superseded, released, open, solved.',
    );
  });

  it('when asked for overdue items, then an open submission is listed from its injection deadline on, not before', () => {
    submit(store.ctx, ARC_RELEASE, CONTACT);

    store.clock.set('2027-03-10T22:59:59Z');
    expect(listItems(store.ctx, { overdue: true })).toEqual([]);
    expect(listItems(store.ctx)[0]?.overdue).toBe(false);

    store.clock.set('2027-03-10T23:00:00Z');
    expect(listItems(store.ctx, { overdue: true })).toMatchObject([
      { id: 'SUB-1', status: 'open', deadline: new Date('2027-03-10T23:00:00Z'), overdue: true },
    ]);
  });

  it('when asked for overdue items, then a submission waiting for its provider is not listed, its clock being paused', () => {
    submit(store.ctx, ARC_RELEASE, CONTACT);
    waitForProvider(
      store.ctx,
      { kind: 'submission', id: 1 },
      { expectedVersion: 1, needed: 'Signed packages' },
      STAFF,
    );
    store.clock.set('2027-03-15T09:00:00Z');

    expect(listItems(store.ctx, { overdue: true })).toEqual([]);
    expect(listItems(store.ctx)).toMatchObject([{ id: 'SUB-1', overdue: false }]);
  });

  it('when asked for overdue items, then a ticket past its limit is listed even before the delay check ran', () => {
    arcInjectedWithOneTicketInVerification();
    store.clock.set('2027-03-12T09:00:00Z');

    const rows = listItems(store.ctx, { overdue: true });

    expect(rows).toMatchObject([
      { id: 'TKT-1', status: 'verification', deadline: new Date('2027-03-12T09:00:00Z'), overdue: true },
    ]);
  });

  it('when asked for overdue items, then Delayed tickets are listed as overdue and tickets within their limit are not', () => {
    arcInjectedWithOneTicketInVerification();
    store.clock.set('2027-03-13T09:00:00Z');
    checkDelays(store.ctx);

    const rows = listItems(store.ctx, { overdue: true });

    expect(rows).toMatchObject([{ id: 'TKT-1', status: 'delayed', statusLabel: 'Delayed', overdue: true }]);
    expect(ids(listItems(store.ctx, { status: 'delayed', overdue: true }))).toEqual(['TKT-1']);
    expect(ids(listItems(store.ctx, { status: 'unverified', overdue: true }))).toEqual([]);
  });

  it('when a security release is in the process, then its items come first', () => {
    submit(store.ctx, ARC_RELEASE, CONTACT); // SUB-1, open
    const { submission } = submit(store.ctx, { ...DCACHE_RELEASE, security: true }, CONTACT); // SUB-2
    inject(store.ctx, submission.id, { expectedVersion: 1 }, STAFF); // TKT-1
    submit(store.ctx, { ...ARC_RELEASE, version: '6.22.0' }, CONTACT); // SUB-3, open

    const rows = listItems(store.ctx);

    expect(rows.map((row) => [row.id, row.security])).toEqual([
      ['TKT-1', true],
      ['SUB-1', false],
      ['SUB-3', false],
    ]);
  });
});

describe('exportAll', () => {
  it('when exported, then it holds the products, the submissions with their tickets, the history and the refusals', () => {
    arcInjectedWithOneTicketInVerification();
    submit(store.ctx, DCACHE_RELEASE, CONTACT);
    caught(RefusedError, () => submit(store.ctx, { ...ARC_RELEASE, version: '7.0.0' }, STRANGER));
    store.clock.set('2027-03-06T12:00:00Z');

    const data = exportAll(store.ctx);

    expect(data.exportedAt).toBe('2027-03-06T12:00:00.000Z');
    expect(data.products.map((card) => card.name)).toEqual(['ARC', 'dCache']);
    expect(
      data.submissions.map((submission) => [
        submission.id,
        submission.state.status,
        submission.tickets.map((ticket) => [ticket.id, ticket.platform]),
      ]),
    ).toEqual([
      [
        1,
        'solved',
        [
          [1, 'el9/x86_64'],
          [2, 'el8/x86_64'],
        ],
      ],
      [2, 'open', []],
    ]);
    expect(data.history).toEqual(allHistory(store.handle.db));
    expect(data.history.map((row) => `${row.subjectType}:${row.subjectId} ${row.event}`)).toEqual([
      'product:1 register_product',
      'product:2 register_product',
      'submission:1 submit',
      'submission:1 inject',
      'ticket:1 create',
      'ticket:2 create',
      'ticket:1 start_verification',
      'submission:2 submit',
    ]);
    expect(data.refusals).toMatchObject([
      { subjectType: 'submission', event: 'submit', actor: STRANGER.userId, kind: 'wrong_role' },
    ]);
  });

  it('when exported, then the data survives a round trip through JSON with its dates as ISO text', () => {
    arcInjectedWithOneTicketInVerification();

    const json = JSON.parse(JSON.stringify(exportAll(store.ctx)));

    expect(json.submissions[0].submittedAt).toBe('2027-03-03T13:00:00.000Z');
    expect(json.submissions[0].tickets[0].state.deadline).toBe('2027-03-12T09:00:00.000Z');
  });
});
