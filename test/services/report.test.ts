/**
 * The process report of March 2027 over the history of test/support/report-fixture.ts, worked out by hand.
 * Window: 2027-03-01 to 2027-03-31 in Europe/Amsterdam = [Feb 28 23:00Z, Mar 31 22:00Z). Days are 24 h.
 *
 * Stays that ended in the window (time in stage = left − entered − paused; within = left before the deadline):
 *
 * | stage        | item  | product | entered     | left        | paused | time      | deadline            | within | delayed (explanation)   |
 * |--------------|-------|---------|-------------|-------------|--------|-----------|---------------------|--------|-------------------------|
 * | injection    | SUB-3 | ARC     | Mar 1 10:00 | Mar 3 10:00 | -      | 2 d       | Mar 8 23:00         | yes    | no                      |
 * | injection    | SUB-4 | ARC     | Mar 1 11:00 | Mar 10 10:00| -      | 8 d 23 h  | Mar 8 23:00         | no     | yes (not explained)     |
 * | injection    | SUB-5 | dCache  | Mar 2 10:00 | Mar 11 10:00| 6 d    | 3 d       | Mar 9 23:00 + 6 d = Mar 15 23:00 | yes | no            |
 * | Unverified   | TKT-2 | dCache  | Feb 2 10:00 | Mar 4 10:00 | -      | 30 d      | Mar 2 10:00         | no     | yes (UMD team capacity) |
 * | Unverified   | TKT-3 | ARC     | Mar 3 10:00 | Mar 5 10:00 | -      | 2 d       | Apr 3               | yes    | no                      |
 * | Unverified   | TKT-4 | ARC     | Mar 10 10:00| Mar 11 10:00| -      | 1 d       | Apr 10              | yes    | no                      |
 * | Unverified   | TKT-6 | dCache  | Mar 11 10:00| Mar 12 10:00| -      | 1 d       | Apr 11              | yes    | no                      |
 * | Verification | TKT-2 | dCache  | Mar 4 10:00 | Mar 11 08:00| -      | 6 d 22 h  | Mar 11 10:00        | yes    | no                      |
 * | Verification | TKT-3 | ARC     | Mar 5 10:00 | Mar 8 10:00 | -      | 3 d       | Mar 12 10:00        | yes    | no                      |
 * | Verification | TKT-4 | ARC     | Mar 11 10:00| Mar 19 10:00| -      | 8 d       | Mar 18 10:00        | no     | yes (Testbed unavailable)|
 * | St. Rollout  | TKT-1 | dCache  | Feb 5 10:00 | Mar 15 10:00| -      | 38 d      | Mar 5 10:00         | no     | yes (No early adopter)  |
 * | St. Rollout  | TKT-3 | ARC     | Mar 8 10:00 | Mar 22 10:00| -      | 14 d      | Apr 8 09:00         | yes    | no                      |
 *
 * Left out: SUB-1 (injected Feb 2), SUB-2 (rejected Feb 3), TKT-1's Unverified and Verification (February),
 * SUB-6 (submitted Apr 1); still open: TKT-2, TKT-4 (Staged Rollout), TKT-5 (Unverified), TKT-6.
 *
 * Nearest rank: median = ⌈n/2⌉-th, p90 = ⌈0.9·n⌉-th of the sorted times.
 *
 * | stage        | n | within    | sorted times (d)      | median (rank)  | p90 (rank)    | delayed |
 * |--------------|---|-----------|-----------------------|----------------|---------------|---------|
 * | injection    | 3 | 2 (67%)   | 2, 3, 8.958           | 3 (2)          | 8.958 (3)     | 1       |
 * | Unverified   | 4 | 3 (75%)   | 1, 1, 2, 30           | 1 (2)          | 30 (4)        | 1       |
 * | Verification | 3 | 2 (67%)   | 3, 6.917, 8           | 6.917 (2)      | 8 (3)         | 1       |
 * | St. Rollout  | 2 | 1 (50%)   | 14, 38                | 14 (1)         | 38 (2)        | 1       |
 *
 * ARC: injection 2, 8.958 → 1 of 2, median 2 (1), p90 8.958 (2); Unverified 1, 2 → 2 of 2, 1, 2;
 *      Verification 3, 8 → 1 of 2, 3, 8, 1 delayed; Staged Rollout 14 → 1 of 1. Delays: Testbed 1, not explained 1.
 * dCache: injection 3 → 1 of 1; Unverified 1, 30 → 1 of 2, 1, 30, 1 delayed; Verification 6.917 → 1 of 1;
 *      Staged Rollout 38 → 0 of 1, 1 delayed. Delays: No early adopter 1, UMD team capacity 1.
 * Open and overdue at Mar 31 22:00Z: TKT-6 in Verification since Mar 12 10:00 (due Mar 19 10:00): 19 d 12 h.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTicket } from '../../src/db/repositories/tickets.js';
import {
  chartedReport,
  daysWindow,
  monthsEndingWith,
  monthsOf,
  type ProcessReport,
  processReport,
} from '../../src/services/index.js';
import { nearestRank } from '../../src/services/reports/figures.js';
import { openTestStore, type TestStore } from '../support/database.js';
import { MARCH_2027, seedReportHistory } from '../support/report-fixture.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

let store: TestStore;
let report: ProcessReport;

beforeAll(() => {
  store = openTestStore({ start: '2027-02-01T09:00:00Z' });
  seedReportHistory(store.ctx, store.clock);
  report = processReport(store.ctx, daysWindow('2027-03-01', '2027-03-31', 'Europe/Amsterdam'));
});
afterAll(() => store.cleanup());

describe('the report of March 2027', () => {
  it('when the window is two Amsterdam days, then it runs from the start of the first to the end of the last', () => {
    expect(report.window).toEqual({
      from: new Date('2027-02-28T23:00:00Z'),
      to: new Date('2027-03-31T22:00:00Z'),
    });
  });

  it('when items went through each stage on time and late, then each stage has the figures worked out by hand', () => {
    expect(report.stages).toEqual(MARCH_2027.stages);
  });

  it('when delays were explained or not, then they are counted by explanation category', () => {
    expect(report.delays).toEqual(MARCH_2027.delays);
  });

  it('when two products had items, then each has its own figures', () => {
    expect(report.products).toEqual(MARCH_2027.products);
  });

  it('when an item is still in a stage past its deadline at the end, then it is listed as open and overdue', () => {
    expect(report.overdue).toEqual([
      {
        item: { kind: 'ticket', id: 6, product: 'dCache', version: '9.2', platform: 'el9/x86_64' },
        stay: {
          stage: 'verification',
          enteredAt: new Date('2027-03-12T10:00:00Z'),
          leftAt: null,
          leftTo: null,
          deadline: new Date('2027-03-19T10:00:00Z'),
          activeMs: 19 * DAY + 12 * HOUR,
          withinLimit: false,
          delayed: true,
          delayCategory: null,
        },
      },
    ]);
  });

  it('when a submission waited for its provider, then the wait is neither in its time nor against its limit', () => {
    // SUB-5: 9 days from submission to injection, 6 of them waiting; due Mar 9 23:00Z without the wait.
    const injection = report.products.find((p) => p.product === 'dCache')?.stages[0];
    expect(injection).toMatchObject({ wentThrough: 1, withinLimit: 1, medianMs: 3 * DAY });
  });

  it('when the history is replayed, then the deadlines are the ones the clocks stored', () => {
    // TKT-2 is in Staged Rollout since Mar 11 08:00Z (09:00 local): a month later on the wall clock, after DST.
    expect(findTicket(store.ctx.db, 2)?.state.deadline).toEqual(new Date('2027-04-11T07:00:00Z'));
    const late = processReport(store.ctx, daysWindow('2027-04-01', '2027-04-30', 'Europe/Amsterdam'));
    const tkt2 = late.overdue.find(({ item }) => item.kind === 'ticket' && item.id === 2);
    expect(tkt2?.stay.deadline).toEqual(new Date('2027-04-11T07:00:00Z'));
  });
});

describe('nearest rank', () => {
  it('when there are 30 values, then the 90th percentile is the 27th (no rounding up from 27.000…04)', () => {
    const values = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(nearestRank(values, 90)).toBe(27);
    expect(nearestRank(values, 50)).toBe(15);
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([7], 90)).toBe(7);
  });
});

describe('the window', () => {
  it('when --from is after --to or a date does not exist, then it says what to fix', () => {
    expect(() => daysWindow('2027-03-31', '2027-03-01', 'UTC')).toThrow(
      '--from 2027-03-31 is after --to 2027-03-01: give the earlier date first.',
    );
    expect(() => daysWindow('2027-02-30', '2027-03-01', 'UTC')).toThrow(
      '--from 2027-02-30 is not a date: write it YYYY-MM-DD.',
    );
  });

  it('when a period is charted, then it is cut at local month ends, across the clock change', () => {
    const months = monthsOf(daysWindow('2027-02-15', '2027-03-31', 'Europe/Amsterdam'), 'Europe/Amsterdam');
    expect(
      months.map(({ month, window }) => [month, window.from.toISOString(), window.to.toISOString()]),
    ).toEqual([
      // February from the 15th, where the period begins.
      ['2027-02', '2027-02-14T23:00:00.000Z', '2027-02-28T23:00:00.000Z'],
      // Summer time from 28 March: the month ends at local midnight, 22:00 UTC.
      ['2027-03', '2027-02-28T23:00:00.000Z', '2027-03-31T22:00:00.000Z'],
    ]);
  });

  it("when /cmd-report's chart is drawn, then it shows the six months ending with the one reported, across a year's end", () => {
    const now = new Date('2027-02-10T09:00:00Z');
    const months = (month: string | null) =>
      monthsEndingWith(month, now, 'Europe/Amsterdam', 6).map(({ month: name }) => name);
    // By default the last month that has ended: January.
    expect(months(null)).toEqual(['2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
    expect(months('2027-03')).toEqual(['2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03']);
  });
});

describe('the chart figures', () => {
  it('when March is one of several months, then its figures are those of the report of March alone', () => {
    const period = daysWindow('2027-02-01', '2027-03-31', 'Europe/Amsterdam');
    const charted = chartedReport(store.ctx, period, monthsOf(period, 'Europe/Amsterdam'));
    const [february, march] = charted.months;
    expect(march?.month).toBe('2027-03');
    expect(march?.stages).toEqual(report.stages);
    expect(february?.month).toBe('2027-02');
    expect(charted.report).toEqual(processReport(store.ctx, period));
  });
});
