/**
 * The release train with literal dates (Europe/Amsterdam): planning a release, its cut-off, its candidates and the
 * tickets on their way, and the freeze the delay check runs exactly once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDatabase } from '../../bench/seed.js';
import { loadCoreConfig } from '../../src/config/core.js';
import { openDatabase } from '../../src/db/index.js';
import { historyOf } from '../../src/db/repositories/audit.js';
import { listOutbox } from '../../src/db/repositories/outbox.js';
import { changeReleaseState, itemsOfRelease } from '../../src/db/repositories/releases.js';
import { findTicket } from '../../src/db/repositories/tickets.js';
import { createServiceContext } from '../../src/services/context.js';
import {
  cancelRelease,
  changeReleaseContents,
  checkDelays,
  createRelease,
  getRelease,
  InvalidInputError,
  inject,
  publishRelease,
  RefusedError,
  registerProduct,
  releaseNotesText,
  saveReleaseNotes,
  startVerification,
  submit,
  upcomingReleases,
} from '../../src/services/index.js';
import {
  ARC_CARD,
  ARC_RELEASE,
  CONTACT,
  openTestStore,
  STAFF,
  TEST_PLATFORMS,
  type TestStore,
} from '../support/database.js';
import { toReady as ticketToReady } from '../support/ticket-flow.js';

let store: TestStore;
beforeEach(() => {
  store = openTestStore({ start: '2027-03-01T09:00:00Z' });
  registerProduct(store.ctx, ARC_CARD, STAFF);
});
afterEach(() => store.cleanup());

/** ARC `version` submitted and injected now: TKT ids in platform order (el9, el8). */
function injected(version: string): number[] {
  const { submission } = submit(store.ctx, { ...ARC_RELEASE, version }, CONTACT);
  return inject(store.ctx, submission.id, { expectedVersion: 1 }, STAFF).tickets.map((t) => t.id);
}

/** Moves a ticket from Unverified to Ready, at the clock's time. */
function toReady(ticketId: number): void {
  ticketToReady(store.ctx, ticketId);
}

const problems = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.problems.map((p) => p.message);
    if (error instanceof Error) return [error.message];
  }
  throw new Error('expected a refusal');
};

describe('planning a release', () => {
  it('when staff plan UMD-5.1.0 for 2027-03-15, then its cut-off is the end of 2027-03-08 in Amsterdam, and the UMD channel hears of it', () => {
    const release = createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    expect(release).toMatchObject({
      distribution: 'UMD-5',
      version: '5.1.0',
      state: 'planned',
      security: false,
    });
    expect(release.cutoffAt).toEqual(new Date('2027-03-08T23:00:00Z'));
    expect(listOutbox(store.handle.db).map((row) => row.payload.topic)).toContain('release_planned');
  });

  it('when the cut-off crosses the change to summer time, then it is still local midnight', () => {
    const release = createRelease(store.ctx, { name: 'UMD-5.2.0', date: '2027-04-04' }, STAFF);
    expect(release.cutoffAt).toEqual(new Date('2027-03-28T22:00:00Z')); // 29 March 00:00 CEST
  });

  it('when a security release is planned, then its contents freeze at once', () => {
    const release = createRelease(
      store.ctx,
      { name: 'UMD-5.0.1', date: '2027-03-02', security: true },
      STAFF,
    );
    expect(release.cutoffAt).toEqual(new Date('2027-03-01T09:00:00Z'));
  });

  it("when the date is past, the name exists, the major is another distribution's or the caller is not staff, then it is refused saying why", () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    expect(
      problems(() => createRelease(store.ctx, { name: 'UMD-5.3.0', date: '2027-02-28' }, STAFF)),
    ).toEqual(['2027-02-28 is in the past (today is 2027-03-01 in Europe/Amsterdam).']);
    expect(
      problems(() => createRelease(store.ctx, { name: 'umd-5.1.0', date: '2027-04-15' }, STAFF)),
    ).toEqual(['UMD 5.1.0 already exists (planned, release date 2027-03-15).']);
    expect(
      problems(() => createRelease(store.ctx, { name: 'UMD-6.0.0', date: '2027-04-15' }, STAFF)),
    ).toEqual([
      "UMD 6.0.0 does not belong to UMD-5: the major number must be the distribution's (such as UMD-5.1.0).",
    ]);
    expect(problems(() => createRelease(store.ctx, { name: 'UMD5', date: '15/04/2027' }, STAFF))).toEqual([
      '"UMD5" is not a release name: write the distribution and version, such as UMD-5.1.0 or CMD-OS-1.4.0.',
      '"15/04/2027" is not a date: write it YYYY-MM-DD, such as 2027-03-15.',
    ]);
    expect(() => createRelease(store.ctx, { name: 'UMD-5.4.0', date: '2027-04-15' }, CONTACT)).toThrow(
      RefusedError,
    );
  });
});

describe('candidates and forecasts', () => {
  it('when tickets are Ready or on their way, then the next planned release lists them, each with whether it can make the cut-off', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    createRelease(store.ctx, { name: 'UMD-5.2.0', date: '2027-05-15' }, STAFF);
    const [ready, unverified] = injected('6.21.1');
    toReady(ready as number);
    const [verifying] = injected('6.21.2');
    startVerification(store.ctx, verifying as number, { expectedVersion: 1 }, STAFF);

    const next = getRelease(store.ctx, 'UMD-5.1.0');
    expect(next.candidates.map((c) => c.ticket.id)).toEqual([ready]);
    // Cut-off 2027-03-08T23:00Z. Unverified until 2027-04-01, then a week and a month: at risk. In verification
    // until 2027-03-08 09:00, then a month of staged rollout: at risk too.
    expect(next.onTheWay.map((c) => [c.ticket.id, c.ticket.state.status, c.forecast.kind])).toEqual([
      [unverified, 'unverified', 'at_risk'],
      [verifying, 'verification', 'at_risk'],
      [(verifying as number) + 1, 'unverified', 'at_risk'],
    ]);
    // The later release gets no candidates while an earlier one is planned; its forecasts count to its own cut-off.
    const later = getRelease(store.ctx, 'UMD-5.2.0');
    expect(later.candidates).toEqual([]);
    expect(later.onTheWay.find((c) => c.ticket.id === verifying)?.forecast.kind).toBe('on_track');
  });
});

describe('the freeze at the cut-off', () => {
  it('when a ticket is Ready the day before the cut-off and another after it, then the first joins and the second slips, and each is told once', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    createRelease(store.ctx, { name: 'UMD-5.2.0', date: '2027-05-15' }, STAFF);
    const [early, late] = injected('6.21.1');
    store.clock.set('2027-03-07T10:00:00Z');
    toReady(early as number);
    store.clock.set('2027-03-08T23:30:00Z'); // after the cut-off, before the check that freezes
    toReady(late as number);

    const check = checkDelays(store.ctx, new Date('2027-03-09T00:00:00Z'));
    expect(check.frozenReleases.map((f) => [f.release.version, f.joined, f.slipped])).toEqual([
      ['5.1.0', [early], [late]],
    ]);
    const release = getRelease(store.ctx, 'UMD-5.1.0');
    expect(release.release.state).toBe('frozen');
    expect(release.candidates.map((c) => c.ticket.id)).toEqual([early]);
    // The slipped ticket is now the next release's candidate.
    expect(getRelease(store.ctx, 'UMD-5.2.0').candidates.map((c) => c.ticket.id)).toEqual([late]);

    const rows = listOutbox(store.handle.db);
    const frozen = rows.filter((row) => row.payload.topic === 'release_frozen');
    expect(frozen).toHaveLength(1);
    expect(frozen[0]?.payload.text.markup).toContain(
      '*UMD 5.1.0* is frozen (cut-off reached): 1 ticket in it',
    );
    expect(frozen[0]?.payload.text.markup).toContain('1 slipped to UMD 5.2.0');
    const slipped = rows.filter((row) => row.payload.topic === 'release_slipped');
    expect(slipped.map((row) => row.recipient).sort()).toEqual(['C0456EFGH', 'UCONTACT1', 'UCONTACT2']);
    expect(slipped[0]?.payload.text.markup).toContain('it became Ready after the cut-off');

    // Run again (a restart, the next quarter hour): nothing more.
    const again = checkDelays(store.ctx, new Date('2027-03-09T00:15:00Z'));
    expect(again.frozenReleases).toEqual([]);
    expect(listOutbox(store.handle.db).filter((row) => row.payload.topic === 'release_frozen')).toHaveLength(
      1,
    );
  });

  it('when thousands of tickets are Ready at the cut-off, then they all join in one freeze', () => {
    // 6,000 items of 6 values each are more than one statement may bind (32,766).
    seedDatabase({
      path: store.path,
      tickets: 6_000,
      deadline: Date.parse('2027-04-01T00:00:00Z'),
      status: 'ready',
    });
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    const check = checkDelays(store.ctx, new Date('2027-03-09T00:00:00Z'));
    expect(check.frozenReleases.map((f) => [f.joined.length, f.slipped.length])).toEqual([[6_000, 0]]);
    expect(itemsOfRelease(store.handle.db, 1)).toHaveLength(6_000);
  });

  it('when two processes run the check at the cut-off, then the release freezes once and its items are written once', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    const [ticket] = injected('6.21.1');
    store.clock.set('2027-03-05T10:00:00Z');
    toReady(ticket as number);

    const other = openDatabase(store.path);
    try {
      const otherCtx = createServiceContext({ db: other.db, config: loadCoreConfig(TEST_PLATFORMS) });
      const at = new Date('2027-03-09T00:00:00Z');
      const results = [checkDelays(store.ctx, at), checkDelays(otherCtx, at)];
      expect(results.map((r) => r.frozenReleases.length).sort()).toEqual([0, 1]);
    } finally {
      other.close();
    }
    const release = getRelease(store.ctx, 'UMD-5.1.0').release;
    expect(itemsOfRelease(store.handle.db, release.id).map((item) => item.ticketId)).toEqual([ticket]);
    expect(listOutbox(store.handle.db).filter((row) => row.payload.topic === 'release_frozen')).toHaveLength(
      1,
    );
  });

  it('when a second process tries to freeze a release the first has frozen, then only the first moves it', () => {
    const release = createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    const other = openDatabase(store.path);
    try {
      const at = new Date('2027-03-09T00:00:00Z');
      // Both read it planned; the guarded update lets one of them through.
      expect(changeReleaseState(store.handle.db, release.id, 'planned', 'frozen', at)).toBe(true);
      expect(changeReleaseState(other.db, release.id, 'planned', 'frozen', at)).toBe(false);
    } finally {
      other.close();
    }
  });

  it('when a security release is planned, then the next check freezes it with what is Ready now', () => {
    const [ticket] = injected('6.21.1');
    store.clock.set('2027-03-05T10:00:00Z');
    toReady(ticket as number);
    createRelease(store.ctx, { name: 'UMD-5.0.1', date: '2027-03-06', security: true }, STAFF);
    const check = checkDelays(store.ctx, new Date('2027-03-05T10:15:00Z'));
    expect(check.frozenReleases.map((f) => f.joined)).toEqual([[ticket]]);
  });
});

describe('publishing, cancelling and changing a frozen release by hand', () => {
  /** UMD 5.1.0 frozen on 2027-03-09 with TKT-1 (Ready on the 5th); TKT-2 still Unverified. */
  function frozenRelease(): void {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    createRelease(store.ctx, { name: 'UMD-5.2.0', date: '2027-05-15' }, STAFF);
    injected('6.21.1');
    store.clock.set('2027-03-05T10:00:00Z');
    toReady(1);
    store.clock.set('2027-03-09T00:00:00Z');
    checkDelays(store.ctx);
  }

  it('when staff publish a frozen release, then its tickets become Released with its name, and the teams and early adopters are told', () => {
    frozenRelease();
    store.clock.set('2027-03-15T09:00:00Z');
    const published = publishRelease(
      store.ctx,
      'UMD-5.1.0',
      { notesUrl: 'https://docs.egi.eu/umd/5.1.0' },
      STAFF,
    );
    expect(published).toMatchObject({ released: [1], skipped: [] });
    expect(findTicket(store.handle.db, 1)?.state).toMatchObject({ status: 'released', reason: 'UMD 5.1.0' });
    expect(historyOf(store.handle.db, 'ticket', 1).at(-1)).toMatchObject({
      event: 'release',
      fromStatus: 'ready',
      toStatus: 'released',
      reason: 'published in UMD 5.1.0',
    });
    const rows = listOutbox(store.handle.db).filter((row) => row.key.startsWith('REL-1:published'));
    expect(rows.map((row) => `${row.payload.topic}:${row.recipient}`).sort()).toEqual([
      'release_announcement:early_adopters',
      'release_published:C0456EFGH',
      'release_published:UCONTACT1',
      'release_published:UCONTACT2',
      'release_published:umd',
    ]);
    const toTeam = rows.find((row) => row.recipient === 'UCONTACT1')?.payload.text.markup;
    expect(toTeam).toBe(
      'ARC 6.21.1 (SUB-1) on el9/x86_64 is part of *UMD 5.1.0*, published 2027-03-15. Release notes: <https://docs.egi.eu/umd/5.1.0|https://docs.egi.eu/umd/5.1.0>.',
    );
    expect(problems(() => publishRelease(store.ctx, 'UMD-5.1.0', {}, STAFF))).toEqual([
      'UMD 5.1.0 is published already.',
    ]);
    // A published release still shows what it holds, now Released.
    expect(
      getRelease(store.ctx, 'UMD-5.1.0').candidates.map((c) => [c.ticket.id, c.ticket.state.status]),
    ).toEqual([[1, 'released']]);
  });

  it('when a release is not frozen yet, or the caller is not staff, then publishing is refused', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    expect(problems(() => publishRelease(store.ctx, 'UMD-5.1.0', {}, STAFF))).toEqual([
      'UMD 5.1.0 is not frozen yet: its contents freeze Tue 9 Mar 2027, 00:00 (Europe/Amsterdam); publish it after that.',
    ]);
    expect(() => publishRelease(store.ctx, 'UMD-5.1.0', {}, CONTACT)).toThrow(RefusedError);
  });

  it("when staff take a ticket out of a frozen release and add another, then each change is in the ticket's history and the release holds what they chose", () => {
    frozenRelease();
    // TKT-2 reaches Ready after the freeze: it slipped; staff add it by hand, and take TKT-1 out.
    store.clock.set('2027-03-10T10:00:00Z');
    toReady(2);
    changeReleaseContents(
      store.ctx,
      { name: 'UMD-5.1.0', ticketId: 2, change: 'add', reason: 'security fix needed' },
      STAFF,
    );
    changeReleaseContents(
      store.ctx,
      { name: 'UMD-5.1.0', ticketId: 1, change: 'remove', reason: 'regression found' },
      STAFF,
    );
    expect(getRelease(store.ctx, 'UMD-5.1.0').candidates.map((c) => c.ticket.id)).toEqual([2]);
    expect(getRelease(store.ctx, 'UMD-5.2.0').candidates.map((c) => c.ticket.id)).toEqual([1]);
    expect(historyOf(store.handle.db, 'ticket', 2).at(-1)?.reason).toBe(
      'added to UMD 5.1.0: security fix needed',
    );
    expect(historyOf(store.handle.db, 'ticket', 1).at(-1)?.reason).toBe(
      'taken out of UMD 5.1.0: regression found',
    );
    expect(
      problems(() =>
        changeReleaseContents(
          store.ctx,
          { name: 'UMD-5.1.0', ticketId: 1, change: 'remove', reason: 'again' },
          STAFF,
        ),
      ),
    ).toEqual(['TKT-1 is not in UMD 5.1.0.']);
  });

  it('when staff take a Ready ticket out of the next release before its freeze and put another in a later one, then the freeze slips the first with their reason and the later release holds both', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    createRelease(store.ctx, { name: 'UMD-5.2.0', date: '2027-05-15' }, STAFF);
    const [el9, el8] = injected('6.21.1') as [number, number];
    store.clock.set('2027-03-05T10:00:00Z');
    toReady(el9);
    toReady(el8);
    const change = (name: string, ticketId: number, what: 'add' | 'remove', reason: string) =>
      changeReleaseContents(store.ctx, { name, ticketId, change: what, reason }, STAFF);
    const ids = (items: readonly { ticket: { id: number } }[]) => items.map((c) => c.ticket.id);

    change('UMD-5.1.0', el9, 'remove', 'first thought');
    change('UMD-5.1.0', el9, 'add', 'changed our mind');
    expect(getRelease(store.ctx, 'UMD-5.1.0').candidates.map((c) => [c.ticket.id, c.byHand])).toEqual([
      [el9, { by: STAFF.userId, reason: 'changed our mind' }],
      [el8, undefined],
    ]);
    change('UMD-5.1.0', el9, 'remove', 'waits for the fix in 6.22');
    change('UMD-5.2.0', el8, 'add', 'goes with the rest of ARC in 5.2');
    const planned = getRelease(store.ctx, 'UMD-5.1.0');
    expect([ids(planned.candidates), ids(planned.takenOut)]).toEqual([[], [el9]]);
    expect(ids(getRelease(store.ctx, 'UMD-5.2.0').candidates)).toEqual([el8]);
    expect(
      [
        () => change('UMD-5.1.0', el9, 'remove', 'again'),
        () => change('UMD-5.2.0', el8, 'add', 'again'),
        () => change('UMD-5.1.0', el8, 'add', 'both'),
        () => change('UMD-5.2.0', el8, 'remove', '   '),
      ].map(problems),
    ).toEqual([
      ['TKT-1 is taken out of UMD 5.1.0 already.'],
      ['TKT-2 is in UMD 5.2.0 already.'],
      ['TKT-2 is in UMD 5.2.0 already.'],
      ["Say why, for the ticket's history."],
    ]);

    const check = checkDelays(store.ctx, new Date('2027-03-09T00:00:00Z'));
    expect(check.frozenReleases.map((f) => [f.joined, f.slipped])).toEqual([[[], [el9]]]);
    const slip = listOutbox(store.handle.db).find(
      (row) => row.payload.topic === 'release_slipped' && row.recipient === 'UCONTACT1',
    );
    expect(slip?.payload.text.markup).toBe(
      'ARC 6.21.1 (SUB-1) is not in *UMD 5.1.0*: the UMD team took it out before its contents froze, so it moves to UMD 5.2.0.\n• TKT-1 el9/x86_64: taken out by the UMD team: waits for the fix in 6.22.',
    );
    // Now UMD 5.2.0 is the next release: TKT-1 is Ready, so it is a candidate again, beside TKT-2 added by hand.
    expect(ids(getRelease(store.ctx, 'UMD-5.2.0').candidates)).toEqual([el9, el8]);
    expect(
      historyOf(store.handle.db, 'ticket', el9)
        .map((entry) => entry.reason)
        .slice(-3),
    ).toEqual([
      'taken out of UMD 5.1.0: first thought',
      'added to UMD 5.1.0: changed our mind',
      'taken out of UMD 5.1.0: waits for the fix in 6.22',
    ]);
  });

  it('when staff took a ticket out of the next release while it was on its way, then its Ready notice names the release after it', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    createRelease(store.ctx, { name: 'UMD-5.2.0', date: '2027-05-15' }, STAFF);
    const [el9, el8] = injected('6.21.1') as [number, number];
    store.clock.set('2027-03-05T10:00:00Z');
    changeReleaseContents(
      store.ctx,
      { name: 'UMD-5.1.0', ticketId: el9, change: 'remove', reason: 'waits for the fix in 6.22' },
      STAFF,
    );
    toReady(el9);
    toReady(el8);
    const readyNotices = listOutbox(store.handle.db)
      .filter((row) => row.payload.topic === 'ready' && row.recipient === 'UCONTACT1')
      .map((row) => row.payload.text.markup);
    expect(readyNotices).toEqual([
      expect.stringContaining('is Ready: it will be part of UMD 5.2.0 (its contents freeze'),
      expect.stringContaining('is Ready: it will be part of UMD 5.1.0 (its contents freeze'),
    ]);
  });

  it('when a ticket is not Ready or does not exist, the caller is not staff or the release is cancelled, then changing it by hand is refused saying why', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    const [el9] = injected('6.21.1') as [number];
    const change = (ticketId: number, what: 'add' | 'remove') =>
      problems(() =>
        changeReleaseContents(store.ctx, { name: 'UMD-5.1.0', ticketId, change: what, reason: 'r' }, STAFF),
      );
    expect(change(el9, 'add')).toEqual(['TKT-1 is Unverified, not Ready.']);
    expect(change(99, 'add')).toEqual(['There is no ticket TKT-99.']);
    expect(() =>
      changeReleaseContents(
        store.ctx,
        { name: 'UMD-5.1.0', ticketId: el9, change: 'add', reason: 'r' },
        CONTACT,
      ),
    ).toThrow(RefusedError);
    // Not Ready yet, but on its way: staff may keep it out of this release whatever happens before the freeze.
    changeReleaseContents(
      store.ctx,
      { name: 'UMD-5.1.0', ticketId: el9, change: 'remove', reason: 'r' },
      STAFF,
    );
    expect(getRelease(store.ctx, 'UMD-5.1.0').takenOut.map((c) => c.ticket.id)).toEqual([el9]);
    cancelRelease(store.ctx, 'UMD-5.1.0', 'moved to April', STAFF);
    expect(change(el9, 'add')).toEqual(['UMD 5.1.0 is cancelled: its contents cannot change any more.']);
  });

  it("when a frozen release is cancelled, then its tickets are the next planned release's candidates, with the reason in their history", () => {
    frozenRelease();
    cancelRelease(store.ctx, 'UMD-5.1.0', 'testbed lost', STAFF);
    expect(getRelease(store.ctx, 'UMD-5.1.0').release.state).toBe('cancelled');
    expect(getRelease(store.ctx, 'UMD-5.2.0').candidates.map((c) => c.ticket.id)).toEqual([1]);
    expect(historyOf(store.handle.db, 'ticket', 1).at(-1)?.reason).toBe('UMD 5.1.0 cancelled: testbed lost');
    expect(listOutbox(store.handle.db).some((row) => row.payload.topic === 'release_cancelled')).toBe(true);
  });
});

describe('the daily digest before a cut-off', () => {
  it('when a planned release is within RELEASE_WARNING of its cut-off, then the digest lists what may miss it; a later one is not listed yet', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    createRelease(store.ctx, { name: 'UMD-5.2.0', date: '2027-06-15' }, STAFF);
    injected('6.21.1');
    // Monday 2027-03-01 09:00 in Amsterdam is 08:00 UTC: the digest is due at 09:00 local.
    checkDelays(store.ctx, new Date('2027-03-01T08:00:00Z'));
    const digest = listOutbox(store.handle.db).find((row) => row.payload.topic === 'digest')?.payload.text
      .markup;
    expect(digest).toContain(
      '*At risk of missing UMD 5.1.0 (cut-off Tue 9 Mar 2027, 00:00 (Europe/Amsterdam)) (2)*',
    );
    expect(digest).toContain('• TKT-1 ARC 6.21.1 el9/x86_64: Unverified');
    expect(digest).not.toContain('UMD 5.2.0');
  });

  it('when a distribution has more tickets on their way than SQLite takes parameters, then the App Home and the digest still count them, listing the first 15', () => {
    // 33,000 > 32,766, the most variables a statement may bind: reading them must not bind one per ticket.
    seedDatabase({ path: store.path, tickets: 33_000, deadline: Date.parse('2027-04-01T00:00:00Z') });
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    const [summary] = upcomingReleases(store.ctx, new Date('2027-03-01T08:00:00Z'));
    expect(summary?.atRiskCount).toBe(33_000);
    expect(summary?.atRisk.map((c) => c.ticket.id)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });
});

describe('the release notes written by staff', () => {
  it('when staff save notes, then they stay until published; anyone else, or after publishing, is refused', () => {
    createRelease(store.ctx, { name: 'UMD-5.0.1', date: '2027-03-02', security: true }, STAFF);
    saveReleaseNotes(store.ctx, 'UMD-5.0.1', { description: 'Fixes CVE-2027-1234.' }, STAFF);
    expect(releaseNotesText(store.ctx, 'UMD-5.0.1').description).toBe('Fixes CVE-2027-1234.');
    expect(() => saveReleaseNotes(store.ctx, 'UMD-5.0.1', { description: 'x' }, CONTACT)).toThrow(
      RefusedError,
    );
    checkDelays(store.ctx);
    publishRelease(store.ctx, 'UMD-5.0.1', {}, STAFF);
    expect(problems(() => saveReleaseNotes(store.ctx, 'UMD-5.0.1', { description: 'late' }, STAFF))).toEqual([
      'UMD 5.0.1 is published: its notes cannot change any more.',
    ]);
  });
});
