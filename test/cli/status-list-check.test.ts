import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import {
  exportAll,
  importProducts,
  inject,
  listItems,
  passVerification,
  recordEarlyAdopterReport,
  startVerification,
  submit,
} from '../../src/services/index.js';
import { QC_ALL_OK } from '../support/qc.js';
import { ARC_CARD, DCACHE_CARD, OPERATOR, type Workspace, withWorkspace, workspace } from './harness.js';

/**
 * In March 2026 (Amsterdam time): ARC 6.21.1 (security) is submitted as SUB-1 and injected on 3 March
 * (TKT-1 el9, TKT-2 el8); TKT-1 passes verification on 5 March and SITE-A reports it works; dCache 9.2 is
 * submitted as SUB-2 and never injected (due 2026-03-09T23:00Z).
 */
function seed(ws: Workspace): void {
  ws.services('2026-03-02T10:00:00Z', (ctx, clock) => {
    importProducts(ctx, [ARC_CARD, DCACHE_CARD], OPERATOR);
    const arc = submit(
      ctx,
      {
        product: 'ARC',
        version: '6.21.1',
        releaseNotes: 'https://www.nordugrid.org/arc/releases/6.21.1',
        packages: ['nordugrid-arc'],
        security: true,
      },
      { userId: 'U0123ABCD', staff: false },
    );
    submit(
      ctx,
      { product: 'dCache', version: '9.2', releaseNotes: 'https://www.dcache.org/9.2', packages: ['dcache'] },
      OPERATOR,
    );
    clock.set('2026-03-03T10:00:00Z');
    const { tickets } = inject(
      ctx,
      arc.submission.id,
      { expectedVersion: arc.submission.state.version },
      OPERATOR,
    );
    const el9 = tickets[0];
    if (!el9) throw new Error('no ticket');
    clock.set('2026-03-04T10:00:00Z');
    const started = startVerification(ctx, el9.id, { expectedVersion: el9.state.version }, OPERATOR);
    clock.set('2026-03-05T10:00:00Z');
    passVerification(
      ctx,
      el9.id,
      {
        expectedVersion: started.ticket.state.version,
        reportUrl: 'https://reports.example.org/arc-el9',
        qc: QC_ALL_OK,
      },
      OPERATOR,
    );
    clock.set('2026-03-06T10:00:00Z');
    recordEarlyAdopterReport(
      ctx,
      {
        submissionId: arc.submission.id,
        platform: 'el9/x86_64',
        site: 'SITE-A',
        outcome: 'works',
        installKind: 'new',
        tested: 'job submission',
      },
      { userId: 'UADOPTER1', staff: false },
    );
  });
}

interface StatusJson {
  readonly asked: string;
  readonly id: string;
  readonly status: string;
  readonly security: boolean;
  readonly injectionDeadline: string | null;
  readonly tickets: readonly {
    id: string;
    platform: string;
    status: string;
    deadline: string | null;
    deadlineLocal: string | null;
    delayExplanation: string | null;
  }[];
  readonly reports: readonly { ticket: string; site: string; outcome: string; at: string }[];
  readonly history: readonly {
    at: string;
    subject: string;
    actor: string;
    event: string;
    from: string | null;
    to: string | null;
  }[];
}

interface Row {
  readonly id: string;
  readonly status: string;
  readonly overdue: boolean;
  readonly security: boolean;
  readonly deadline: string | null;
}

// Read-only on one seeded database, so the tests run concurrently.
describe.concurrent('cmd-bot status and list', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace();
    seed(ws);
    // A release submitted today: its injection is not overdue.
    ws.services(new Date().toISOString(), (ctx) =>
      submit(
        ctx,
        {
          product: 'dCache',
          version: '9.3',
          releaseNotes: 'https://www.dcache.org/9.3',
          packages: ['dcache'],
        },
        OPERATOR,
      ),
    );
  });
  afterAll(() => ws.cleanup());

  it('when asked about a SUB id, then it shows the release, its deadlines in UTC and local time, tickets, reports and history', async () => {
    const result = await ws.run(['status', 'SUB-1']);
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text).toMatch(/^SUB-1 {2}ARC 6\.21\.1\n/);
    expect(text).toMatch(/product: +ARC\n/);
    expect(text).toMatch(/distribution: +UMD-5\n/);
    expect(text).toMatch(/security: +yes\n/);
    expect(text).toMatch(/status: +Solved\n/);
    expect(text).toMatch(/el9\/x86_64: nordugrid-arc\n/);
    // TKT-2 was created 2026-03-03 11:00 in Amsterdam; Unverified lasts a month on the local clock (CEST by then).
    expect(text).toMatch(
      /TKT-2 +el8\/x86_64 +Unverified +2026-04-03 09:00 UTC +2026-04-03 11:00 Europe\/Amsterdam/,
    );
    expect(text).toMatch(/TKT-1 +el9\/x86_64 +Staged Rollout +2026-04-05 09:00 UTC/);
    expect(text).toMatch(
      /2026-03-06 10:00 UTC +TKT-1 +SITE-A +works +UADOPTER1 +new install; tested: job submission/,
    );
    const history = text.slice(text.indexOf('History'));
    expect(history).toMatch(/TIME \(UTC\) +SUBJECT +ACTOR +EVENT +FROM → TO +REASON/);
    expect(history).toMatch(/2026-03-02 10:00 UTC +SUB-1 +U0123ABCD +submit +- → open/);
    expect(history).toMatch(/2026-03-03 10:00 UTC +SUB-1 +UOPERATOR1 +inject +open → solved/);
    expect(history).toMatch(
      /2026-03-03 10:00 UTC +TKT-2 +UOPERATOR1 +create +- → unverified +injected from SUB-1/,
    );
    expect(history).toMatch(
      /2026-03-05 10:00 UTC +TKT-1 +UOPERATOR1 +pass_verification +verification → staged_rollout +https:\/\/reports\.example\.org\/arc-el9/,
    );

    const open = await ws.run(['status', 'sub-2']);
    expect(open.stdout).toMatch(
      /injection due: +2026-03-09 23:00 UTC \(2026-03-10 00:00 Europe\/Amsterdam\)/,
    );
    expect(open.stdout).toContain('none yet (the submission is not injected)');
  });

  it('when asked about a TKT id, then it shows the submission it belongs to, as text and as JSON with ISO dates', async () => {
    const [text, json] = await Promise.all([
      ws.run(['status', 'TKT-2']),
      ws.json<StatusJson>(['status', 'TKT-2', '--json']),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^TKT-2 is the el8\/x86_64 ticket of SUB-1\.\n\nSUB-1 {2}ARC 6\.21\.1\n/);

    expect(json).toMatchObject({
      asked: 'TKT-2',
      id: 'SUB-1',
      status: 'solved',
      security: true,
      injectionDeadline: null,
    });
    expect(json.tickets).toEqual([
      expect.objectContaining({
        id: 'TKT-1',
        status: 'staged_rollout',
        deadline: '2026-04-05T09:00:00.000Z',
        deadlineLocal: '2026-04-05T11:00:00.000+02:00',
      }),
      expect.objectContaining({
        id: 'TKT-2',
        platform: 'el8/x86_64',
        status: 'unverified',
        deadline: '2026-04-03T09:00:00.000Z',
      }),
    ]);
    expect(json.reports).toEqual([
      expect.objectContaining({
        ticket: 'TKT-1',
        site: 'SITE-A',
        outcome: 'works',
        installKind: 'new',
        upgradedFrom: null,
        tested: 'job submission',
        workaround: null,
        at: '2026-03-06T10:00:00.000Z',
      }),
    ]);
    // The ticket carries its quality-criteria results and whether it was marked Ready without a works report.
    expect(json.tickets.find((ticket) => ticket.id === 'TKT-1')).toMatchObject({
      qcResults: expect.arrayContaining([expect.objectContaining({ id: 'QC_DOC_1', result: 'ok' })]),
      readyWithoutWorksReport: false,
    });
    expect(json.history.map((entry) => `${entry.subject} ${entry.event}`)).toEqual([
      'SUB-1 submit',
      'SUB-1 inject',
      'TKT-1 create',
      'TKT-2 create',
      'TKT-1 start_verification',
      'TKT-1 pass_verification',
      'TKT-1 early_adopter_report',
    ]);
    expect(json.history[0]).toEqual({
      at: '2026-03-02T10:00:00.000Z',
      subject: 'SUB-1',
      actor: 'U0123ABCD',
      event: 'submit',
      from: null,
      to: 'open',
      reason: null,
    });
  });

  it('when the id is unknown or malformed, then it exits 1 or 2', async () => {
    const [unknown, malformed, missing] = await Promise.all([
      ws.run(['status', 'TKT-99']),
      ws.run(['status', 'FOO']),
      ws.run(['status']),
    ]);
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: 'cmd-bot: There is no ticket TKT-99.\n' });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('such as SUB-12 or TKT-3');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'ID'");
  });

  it('when listing, then --status, --overdue and --json select and shape the rows, security first', async () => {
    const [all, unverified, staged, overdue, table, badStatus] = await Promise.all([
      ws.json<Row[]>(['list', '--json']),
      ws.json<Row[]>(['list', '--status', 'unverified', '--json']),
      ws.json<Row[]>(['list', '--status', 'Staged Rollout', '--json']),
      ws.json<Row[]>(['list', '--overdue', '--json']),
      ws.run(['list']),
      ws.run(['list', '--status', 'lost']),
    ]);
    // Security first: SUB-1's tickets, then dCache's open submissions.
    expect(all.map((row) => row.id)).toEqual(['TKT-1', 'TKT-2', 'SUB-2', 'SUB-3']);
    expect(all[0]).toMatchObject({ kind: 'ticket', product: 'ARC', platform: 'el9/x86_64', security: true });
    expect(all[2]).toMatchObject({
      kind: 'submission',
      status: 'open',
      deadline: '2026-03-09T23:00:00.000Z',
    });
    expect(unverified.map((row) => row.id)).toEqual(['TKT-2']);
    expect(staged.map((row) => row.id)).toEqual(['TKT-1']);
    // Everything from March is past its deadline now; the release submitted today is not.
    expect(overdue.map((row) => row.id)).toEqual(['TKT-1', 'TKT-2', 'SUB-2']);
    expect(overdue.every((row) => row.overdue)).toBe(true);

    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^ID +PRODUCT +VERSION +DISTRIBUTION +PLATFORM +STATUS +DEADLINE \(UTC\) +FLAGS$/,
    );
    expect(lines[1]).toMatch(
      /^TKT-1 +ARC +6\.21\.1 +UMD-5 +el9\/x86_64 +Staged Rollout +2026-04-05 09:00 UTC +security,overdue$/,
    );
    expect(lines).toHaveLength(5);

    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('Unknown status "lost". Use one of: unverified');
  });
});

// Each test writes, so each has its own seeded database.
describe.concurrent('cmd-bot check', () => {
  const seeded = <T>(work: (ws: Workspace) => Promise<T>) =>
    withWorkspace((ws) => {
      seed(ws);
      return work(ws);
    });

  /** What `list` shows, and (read in-process) every table the check could write to, notices included. */
  const snapshot = async (ws: Workspace) => {
    const list = await ws.run(['list', '--json']);
    const stored = ws.services('2026-04-04T00:00:00Z', (ctx) => {
      const { exportedAt: _, ...data } = exportAll(ctx);
      return { data, outbox: ctx.db.select().from(outbox).all() };
    });
    return { list: list.stdout, ...stored };
  };

  it('when run with --dry-run, then it says what would change and writes nothing', () =>
    seeded(async (ws) => {
      const before = await snapshot(ws);
      const [json, text] = await Promise.all([
        ws.json(['check', '--dry-run', '--at', '2026-04-04T00:00:00Z', '--json']),
        ws.run(['check', '--dry-run', '--at', '2026-04-04T02:00+02:00']),
      ]);
      expect(json).toMatchObject({
        at: '2026-04-04T00:00:00.000Z',
        dryRun: true,
        delayed: [{ ticket: 'TKT-2', from: 'unverified', deadline: '2026-04-03T09:00:00.000Z' }],
        overdueInjections: [{ submission: 'SUB-2', deadline: '2026-03-09T23:00:00.000Z' }],
      });
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('(dry run: nothing was written)');
      expect(text.stdout).toMatch(/Would delay 1 ticket:\n.*\n {2}TKT-2 +Unverified +2026-04-03 09:00 UTC/);
      expect(text.stdout).toMatch(/Would flag 1 overdue injection:\n.*\n {2}SUB-2 +2026-03-09 23:00 UTC/);
      expect(await snapshot(ws)).toEqual(before);
    }));

  it('when --at is a month ahead, then it is a dry run that says so; with --allow-future it writes and says so loudly', () =>
    seeded(async (ws) => {
      const monthAhead = new Date(Date.now() + 31 * 86_400_000).toISOString();
      const before = await snapshot(ws);

      const guarded = await ws.run(['check', '--at', monthAhead]);

      expect(guarded.code).toBe(0);
      expect(guarded.stderr).toContain('is in the future, so this is a dry run: nothing is written.');
      expect(guarded.stderr).toContain('Add --allow-future');
      expect(guarded.stdout).toContain('(dry run: nothing was written)');
      expect(guarded.stdout).toMatch(/Would delay 2 tickets:/);
      expect(await snapshot(ws)).toEqual(before);

      const forced = await ws.run(['check', '--at', monthAhead, '--allow-future']);

      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/Delayed 2 tickets:/);
      expect(forced.stderr).toMatch(
        /^WARNING: --allow-future: 2 tickets delayed and 1 overdue injection flagged as of .*, (30|31) days ahead of now\. Their history is dated then, and their notices are queued for Slack now\./m,
      );
      const delayed = ws.services(monthAhead, (ctx) => listItems(ctx, { status: 'delayed' }));
      expect(delayed.map((item) => item.id).sort()).toEqual(['TKT-1', 'TKT-2']);
    }));

  it('when --at is within a minute ahead (another host’s clock), then the check writes as usual', () =>
    seeded(async (ws) => {
      const result = await ws.run(['check', '--at', new Date(Date.now() + 30_000).toISOString()]);

      expect(result.code).toBe(0);
      expect(result.stderr).not.toContain('dry run');
      expect(result.stdout).toMatch(/Delayed 2 tickets:/);
    }));

  it('when run at a time past a ticket deadline, then it delays the ticket once; a second run at the same time changes nothing', () =>
    seeded(async (ws) => {
      const first = await ws.run(['check', '--at', '2026-04-04T00:00:00Z']);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(
        /^Delay check at 2026-04-04 00:00 UTC \(2026-04-04 02:00 Europe\/Amsterdam\)\./,
      );
      expect(first.stdout).toMatch(/Delayed 1 ticket:\n.*\n {2}TKT-2 +Unverified +2026-04-03 09:00 UTC/);
      expect(first.stdout).toMatch(/Flagged 1 overdue injection:\n.*\n {2}SUB-2/);

      const [delayed, status, second] = await Promise.all([
        ws.json<Row[]>(['list', '--status', 'delayed', '--json']),
        ws.json<StatusJson>(['status', 'TKT-2', '--json']),
        ws.json(['check', '--at', '2026-04-04T00:00:00Z', '--json']),
      ]);
      expect(delayed.map((row) => row.id)).toEqual(['TKT-2']);
      expect(status.tickets.find((ticket) => ticket.id === 'TKT-2')?.delayExplanation).toBeTruthy();
      expect(status.history.at(-1)).toMatchObject({
        at: '2026-04-04T00:00:00.000Z',
        subject: 'TKT-2',
        actor: 'system',
        event: 'delay',
        from: 'unverified',
        to: 'delayed',
      });
      expect(second).toMatchObject({ delayed: [], overdueInjections: [] });
    }));

  it('when --at is not an ISO time, then it exits 2', () =>
    withWorkspace(async (ws) => {
      const result = await ws.run(['check', '--at', 'next tuesday']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("option '--at <ISO-TIME>' argument 'next tuesday' is invalid");
      const impossible = await ws.run(['check', '--at', '2026-02-30T10:00:00Z']);
      expect(impossible.code).toBe(2);
      expect(impossible.stderr).toContain("argument '2026-02-30T10:00:00Z' is invalid");
    }));
});
