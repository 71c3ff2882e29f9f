/**
 * A history for the process report, made with the real use cases and the delay check on a test clock, under the
 * default settings (Europe/Amsterdam, NL holidays, injection 5 working days, Unverified P1M, Verification P7D,
 * Staged Rollout P1M). The report of March 2027 (--from 2027-03-01 --to 2027-03-31: Feb 28 23:00Z to
 * Mar 31 22:00Z) is worked out by hand in test/services/report.test.ts. All times below are UTC.
 *
 *   SUB-1 dCache 9.1 el9+el8  submitted Feb 1 10:00, injected Feb 2 10:00 (before the window)  → TKT-1, TKT-2
 *   SUB-2 ARC 0.9 el9         submitted Feb 1 11:00, rejected Feb 3 10:00 (before the window)
 *   TKT-1 dCache el9  Unverified and Verification in February; Staged Rollout Feb 5 10:00 (due Mar 5 10:00),
 *                     delayed by the check Mar 5 12:00, explained "No early adopter available", Ready Mar 15 10:00
 *   TKT-2 dCache el8  Unverified Feb 2 10:00 (due Mar 2 10:00), delayed Mar 2 12:00, explained "UMD team
 *                     capacity", verification Mar 4 10:00 (due Mar 11 10:00), passed Mar 11 08:00 (just in time)
 *   SUB-3 ARC 1.0 el9         submitted Mar 1 10:00 (due end of Mon Mar 8 local, Mar 8 23:00Z), injected Mar 3
 *   TKT-3 ARC 1.0 el9 verification Mar 5 10:00, passed Mar 8 10:00, Ready Mar 22 10:00: all in time
 *   SUB-4 ARC 2.0 el9+el8     submitted Mar 1 11:00 (due Mar 8 23:00Z), flagged overdue by the check Mar 9 12:00,
 *                             injected Mar 10 10:00                                           → TKT-4, TKT-5
 *   TKT-4 ARC 2.0 el9 verification Mar 11 10:00 (due Mar 18 10:00), delayed Mar 18 12:00, explained "Testbed
 *                     unavailable", passed Mar 19 10:00; in Staged Rollout at the end (due Apr 19)
 *   TKT-5 ARC 2.0 el8 Unverified from Mar 10 10:00 (due Apr 10): open, not overdue
 *   SUB-5 dCache 9.2 el9      submitted Tue Mar 2 10:00 (due Mar 9 23:00Z), waiting for the provider Mar 3 10:00
 *                             to Mar 9 10:00 (6 days: due Mar 15 23:00Z), injected Mar 11 10:00  → TKT-6
 *   TKT-6 dCache 9.2 el9 verification Mar 12 10:00 (due Mar 19 10:00), delayed Mar 19 12:00, never explained:
 *                     open and overdue at the end
 *   SUB-6 ARC 3.0 el9         submitted Apr 1 10:00 (after the window)
 */
import { findSubmission } from '../../src/db/repositories/submissions.js';
import { findTicket } from '../../src/db/repositories/tickets.js';
import type { DelayCategory } from '../../src/domain/ticket-machine.js';
import {
  checkDelays,
  explainDelay,
  importProducts,
  inject,
  markReady,
  passVerification,
  reject,
  resume,
  type ServiceContext,
  startVerification,
  submit,
  waitForProvider,
} from '../../src/services/index.js';
import type { TestClock } from './database.js';
import { QC_ALL_OK } from './qc.js';

const STAFF = { userId: 'USTAFF1', staff: true } as const;
const REPORT = 'https://reports.example.org/qc';

export function seedReportHistory(ctx: ServiceContext, clock: TestClock): void {
  const at = (time: string) => clock.set(`2027-${time}:00Z`);
  const ticketVersion = (id: number) => findTicket(ctx.db, id)?.state.version ?? 0;
  const submissionVersion = (id: number) => findSubmission(ctx.db, id)?.state.version ?? 0;
  const release = (product: string, version: string, platforms: string[]) =>
    submit(
      ctx,
      { product, version, releaseNotes: `https://example.org/${version}`, packages: ['pkg'], platforms },
      STAFF,
    );
  const check = (time: string) => {
    at(time);
    checkDelays(ctx, clock.now());
  };
  const start = (id: number) => startVerification(ctx, id, { expectedVersion: ticketVersion(id) }, STAFF);
  const pass = (id: number) =>
    passVerification(
      ctx,
      id,
      { expectedVersion: ticketVersion(id), reportUrl: REPORT, qc: QC_ALL_OK },
      STAFF,
    );
  const ready = (id: number) => markReady(ctx, id, { expectedVersion: ticketVersion(id) }, STAFF);
  const explain = (id: number, category: DelayCategory, text: string) =>
    explainDelay(ctx, id, { expectedVersion: ticketVersion(id), category, text }, STAFF);
  const injectAll = (id: number) => inject(ctx, id, { expectedVersion: submissionVersion(id) }, STAFF);

  at('02-01T09:00');
  importProducts(
    ctx,
    [
      { name: 'ARC', platforms: ['el9/x86_64'] },
      { name: 'dCache', platforms: ['el9/x86_64'] },
    ],
    STAFF,
  );
  at('02-01T10:00');
  release('dCache', '9.1', ['el9/x86_64', 'el8/x86_64']); // SUB-1
  at('02-01T11:00');
  release('ARC', '0.9', ['el9/x86_64']); // SUB-2
  at('02-02T10:00');
  injectAll(1); // TKT-1 el9, TKT-2 el8
  at('02-03T10:00');
  reject(
    ctx,
    { kind: 'submission', id: 2 },
    { expectedVersion: submissionVersion(2), reason: 'a typo' },
    STAFF,
  );
  start(1);
  at('02-05T10:00');
  pass(1);

  at('03-01T10:00');
  release('ARC', '1.0', ['el9/x86_64']); // SUB-3
  at('03-01T11:00');
  release('ARC', '2.0', ['el9/x86_64', 'el8/x86_64']); // SUB-4
  at('03-02T10:00');
  release('dCache', '9.2', ['el9/x86_64']); // SUB-5
  check('03-02T12:00'); // TKT-2 delayed in Unverified
  at('03-02T13:00');
  explain(2, 'team_capacity', 'two people on leave');
  at('03-03T10:00');
  injectAll(3); // TKT-3
  waitForProvider(
    ctx,
    { kind: 'submission', id: 5 },
    { expectedVersion: submissionVersion(5), needed: 'signed packages' },
    STAFF,
  );
  at('03-04T10:00');
  start(2);
  at('03-05T10:00');
  start(3);
  check('03-05T12:00'); // TKT-1 delayed in Staged Rollout
  at('03-05T15:00');
  explain(1, 'no_early_adopters', 'no site volunteered');
  at('03-08T10:00');
  pass(3);
  at('03-09T10:00');
  resume(ctx, { kind: 'submission', id: 5 }, { expectedVersion: submissionVersion(5) }, STAFF);
  check('03-09T12:00'); // SUB-4's injection flagged overdue (SUB-5 waited: its deadline moved to Mar 15)
  at('03-10T10:00');
  injectAll(4); // TKT-4 el9, TKT-5 el8
  at('03-11T08:00');
  pass(2);
  at('03-11T10:00');
  start(4);
  injectAll(5); // TKT-6
  at('03-12T10:00');
  start(6);
  at('03-15T10:00');
  ready(1);
  check('03-18T12:00'); // TKT-4 delayed in Verification
  at('03-18T14:00');
  explain(4, 'testbed_unavailable', 'the testbed is down');
  at('03-19T10:00');
  pass(4);
  check('03-19T12:00'); // TKT-6 delayed in Verification
  at('03-22T10:00');
  ready(3);
  at('04-01T10:00');
  release('ARC', '3.0', ['el9/x86_64']); // SUB-6
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** One stage's figures as the report gives them, the share derived. */
const stage = (
  name: string,
  wentThrough: number,
  withinLimit: number,
  medianMs: number,
  p90Ms: number,
  delayed: number,
) => ({
  stage: name,
  wentThrough,
  withinLimit,
  withinShare: withinLimit / wentThrough,
  medianMs,
  p90Ms,
  delayed,
});

/**
 * The figures of March 2027 over this history, worked out by hand: the arithmetic is in the header of
 * test/services/report.test.ts. The service and the command line's JSON both give exactly these.
 */
export const MARCH_2027 = {
  stages: [
    stage('injection', 3, 2, 3 * DAY, 8 * DAY + 23 * HOUR, 1),
    stage('unverified', 4, 3, 1 * DAY, 30 * DAY, 1),
    stage('verification', 3, 2, 6 * DAY + 22 * HOUR, 8 * DAY, 1),
    stage('staged_rollout', 2, 1, 14 * DAY, 38 * DAY, 1),
  ],
  delays: [
    { category: 'testbed_unavailable', count: 1 },
    { category: 'no_early_adopters', count: 1 },
    { category: 'team_capacity', count: 1 },
    { category: 'not_explained', count: 1 },
  ],
  products: [
    {
      product: 'ARC',
      stages: [
        stage('injection', 2, 1, 2 * DAY, 8 * DAY + 23 * HOUR, 1),
        stage('unverified', 2, 2, 1 * DAY, 2 * DAY, 0),
        stage('verification', 2, 1, 3 * DAY, 8 * DAY, 1),
        stage('staged_rollout', 1, 1, 14 * DAY, 14 * DAY, 0),
      ],
      delays: [
        { category: 'testbed_unavailable', count: 1 },
        { category: 'not_explained', count: 1 },
      ],
    },
    {
      product: 'dCache',
      stages: [
        stage('injection', 1, 1, 3 * DAY, 3 * DAY, 0),
        stage('unverified', 2, 1, 1 * DAY, 30 * DAY, 1),
        stage('verification', 1, 1, 6 * DAY + 22 * HOUR, 6 * DAY + 22 * HOUR, 0),
        stage('staged_rollout', 1, 0, 38 * DAY, 38 * DAY, 1),
      ],
      delays: [
        { category: 'no_early_adopters', count: 1 },
        { category: 'team_capacity', count: 1 },
      ],
    },
  ],
};
