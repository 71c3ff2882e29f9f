import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { listSubmissions } from '../../src/db/repositories/submissions.js';
import {
  importProducts,
  inject,
  passVerification,
  reject,
  startVerification,
  submit,
} from '../../src/services/index.js';
import { QC_ALL_OK } from '../support/qc.js';
import {
  ARC_CARD,
  DCACHE_CARD,
  OPERATOR,
  parseCsv,
  type Workspace,
  withWorkspace,
  workspace,
} from './harness.js';

const COLUMNS = [
  'id',
  'kind',
  'product',
  'version',
  'distribution',
  'platform',
  'status',
  'deadline',
  'security',
  'submitted_by',
  'submitted_at',
  'history',
  'ready_without_works_report',
  'early_adopter_reports',
  'qc_results',
  'release',
];

/** TKT-2's verification: every criterion OK but one Warning, whose note a spreadsheet would evaluate. */
const QC_WITH_WARNING = QC_ALL_OK.map((answer) =>
  answer.id === 'QC_SEC_5'
    ? { ...answer, result: 'warning' as const, note: '=2 files; see /var/log' }
    : answer,
);

interface ExportJson {
  readonly exportedAt: string;
  readonly products: readonly { name: string }[];
  readonly submissions: readonly {
    id: number;
    version: string;
    submittedAt: string;
    tickets: readonly {
      id: number;
      platform: string;
      qcResults: readonly { id: string; result: string | null }[] | null;
    }[];
  }[];
  readonly history: readonly { subjectType: string; subjectId: number; event: string; at: string }[];
}

// Export only reads and backup writes beside the database, so the tests run concurrently.
describe.concurrent('cmd-bot export and backup', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace();
    ws.services('2026-03-02T10:00:00Z', (ctx, clock) => {
      importProducts(ctx, [ARC_CARD, DCACHE_CARD], OPERATOR);
      const arc = submit(
        ctx,
        {
          product: 'ARC',
          version: '6.21.1',
          releaseNotes: 'https://www.nordugrid.org/arc/releases/6.21.1',
          packages: ['nordugrid-arc'],
          comment: 'Rebuilt, "signed" packages;\nsecond line',
        },
        OPERATOR,
      );
      const dcache = submit(
        ctx,
        {
          product: 'dCache',
          version: '9.2',
          releaseNotes: 'https://www.dcache.org/9.2',
          packages: ['dcache'],
        },
        OPERATOR,
      );
      clock.set('2026-03-03T10:00:00Z');
      inject(ctx, arc.submission.id, { expectedVersion: arc.submission.state.version }, OPERATOR);
      reject(
        ctx,
        { kind: 'submission', id: dcache.submission.id },
        { expectedVersion: dcache.submission.state.version, reason: 'wrong repository, use the EL9 one' },
        OPERATOR,
      );
      clock.set('2026-03-04T10:00:00Z');
      startVerification(ctx, 2, { expectedVersion: 1 }, OPERATOR);
      passVerification(
        ctx,
        2,
        { expectedVersion: 2, reportUrl: 'https://reports.example.org/arc-el8', qc: QC_WITH_WARNING },
        OPERATOR,
      );
    });
  });
  afterAll(() => ws.cleanup());

  it('when exported as CSV, then there is one properly quoted row per submission and per ticket, with its history', async () => {
    const result = await ws.run(['export', '--format', 'csv']);
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(result.stdout);
    expect(header).toEqual(COLUMNS);
    expect(rows.map((row) => `${row[0]} ${row[1]} ${row[5]} ${row[6]}`)).toEqual([
      'SUB-1 submission el9/x86_64 el8/x86_64 solved',
      'TKT-1 ticket el9/x86_64 unverified',
      'TKT-2 ticket el8/x86_64 staged_rollout',
      'SUB-2 submission el9/x86_64 rejected',
    ]);
    for (const row of rows) expect(row).toHaveLength(COLUMNS.length);
    const [sub1, tkt1, tkt2, sub2] = rows;
    // Each ticket's quality criteria in one cell: empty before a verification, one `ID=result` per criterion after.
    expect(sub1?.[14]).toBe('');
    expect(tkt1?.[14]).toBe('');
    expect(tkt2?.[14]).toMatch(
      /^QC_DOC_1=ok; QC_DOC_2=ok; .*; QC_SEC_5=warning: =2 files; see \/var\/log; .*QC_FUNC_2=ok$/,
    );
    expect(tkt2?.[14]?.split('; QC_')).toHaveLength(21);
    expect(sub1?.slice(2, 11)).toEqual([
      'ARC',
      '6.21.1',
      'UMD-5',
      'el9/x86_64 el8/x86_64',
      'solved',
      '',
      'false',
      'UOPERATOR1',
      '2026-03-02T10:00:00.000Z',
    ]);
    // The comment (with a comma, quotes and a newline) is the reason of the submit entry.
    expect(sub1?.[11]).toBe(
      '2026-03-02T10:00:00.000Z UOPERATOR1 submit → open: Rebuilt, "signed" packages;\nsecond line' +
        ' | 2026-03-03T10:00:00.000Z UOPERATOR1 inject open → solved',
    );
    expect(result.stdout).toContain(
      '"2026-03-02T10:00:00.000Z UOPERATOR1 submit → open: Rebuilt, ""signed"" packages;\nsecond line',
    );
    expect(tkt1?.slice(2, 8)).toEqual([
      'ARC',
      '6.21.1',
      'UMD-5',
      'el9/x86_64',
      'unverified',
      '2026-04-03T09:00:00.000Z',
    ]);
    expect(tkt1?.[11]).toBe('2026-03-03T10:00:00.000Z UOPERATOR1 create → unverified: injected from SUB-1');
    expect(sub2?.[11]).toContain(
      ' | 2026-03-03T10:00:00.000Z UOPERATOR1 reject open → rejected: wrong repository, use the EL9 one',
    );
  });

  it('when exported as JSON, then it holds the cards, the submissions with their tickets and the whole history', async () => {
    const data = await ws.json<ExportJson>(['export', '--format', 'json']);
    expect(data.products.map((product) => product.name).sort()).toEqual(['ARC', 'dCache']);
    expect(data.submissions.map((s) => [s.id, s.version, s.tickets.map((t) => t.platform)])).toEqual([
      [1, '6.21.1', ['el9/x86_64', 'el8/x86_64']],
      [2, '9.2', []],
    ]);
    expect(data.submissions[0]?.submittedAt).toBe('2026-03-02T10:00:00.000Z');
    expect(
      data.history
        .filter((entry) => entry.subjectType !== 'product')
        .map((e) => `${e.subjectType}:${e.subjectId} ${e.event}`),
    ).toEqual([
      'submission:1 submit',
      'submission:2 submit',
      'submission:1 inject',
      'ticket:1 create',
      'ticket:2 create',
      'submission:2 reject',
      'ticket:2 start_verification',
      'ticket:2 pass_verification',
    ]);
    const tkt2 = data.submissions[0]?.tickets[1];
    expect(tkt2?.qcResults).toHaveLength(21);
    expect(tkt2?.qcResults?.find((result) => result.id === 'QC_SEC_5')).toEqual({
      id: 'QC_SEC_5',
      name: 'World Writable Files',
      critical: true,
      result: 'warning',
      note: '=2 files; see /var/log',
    });
    expect(data.submissions[0]?.tickets[0]?.qcResults).toBeNull();
  });

  it('when --format is missing or unknown, then it exits 2', async () => {
    const [missing, unknown] = await Promise.all([ws.run(['export']), ws.run(['export', '--format', 'xml'])]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--format <FORMAT>' not specified");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Allowed choices are csv, json');
  });

  it('when backed up, then the copy opens and holds the same submissions, and it is not overwritten without --force', async () => {
    const target = join(ws.dir, 'backups', 'copy.sqlite');
    mkdirSync(join(ws.dir, 'backups'));
    const first = await ws.run(['backup', target]);
    expect(first).toMatchObject({ code: 0, stdout: `${target}\n` });
    expect(first.stderr).toContain('Backed up 2 submissions and 2 tickets.');
    expect(existsSync(`${target}-wal`)).toBe(false);

    const copy = openDatabase(target, { migrate: false });
    const original = openDatabase(ws.dbPath, { migrate: false });
    try {
      expect(listSubmissions(copy.db)).toEqual(listSubmissions(original.db));
    } finally {
      copy.close();
      original.close();
    }

    const again = await ws.run(['backup', target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already; choose another file, or add --force to overwrite it.');

    const other = join(ws.dir, 'not-a-database.txt');
    writeFileSync(other, 'old contents');
    const [forced, intoMissingFolder] = await Promise.all([
      ws.run(['backup', other, '--force']),
      ws.run(['backup', join(ws.dir, 'no-such-folder', 'copy.sqlite')]),
    ]);
    expect(forced).toMatchObject({ code: 0, stdout: `${other}\n` });
    const replaced = openDatabase(other, { migrate: false });
    try {
      expect(listSubmissions(replaced.db)).toHaveLength(2);
    } finally {
      replaced.close();
    }
    expect(intoMissingFolder.code).toBe(1);
    expect(intoMissingFolder.stderr).toContain('does not exist; create it first.');
  });
});

// FIXED (src/cli/actions/backup.ts): `cmd-bot backup $DATABASE_PATH-wal --force` replaced the running bot's
// write-ahead log; after a crash, the acknowledged submissions it held were gone.
describe("cmd-bot backup onto the database's own files", () => {
  it('when the target is its -wal, -shm or -journal file (or a link to one), then it is refused even with --force, and the log is untouched', () =>
    withWorkspace(async (ws) => {
      // Like the running bot: a connection holds the log open, with a commit in it not yet copied into the file.
      const live = openDatabase(ws.dbPath);
      try {
        live.sqlite.pragma('wal_autocheckpoint = 0');
        live.sqlite.exec("insert into digests (day, sent_at) values ('2026-03-02', 0)");
        const log = readFileSync(`${ws.dbPath}-wal`);
        const link = join(ws.dir, 'looks-like-a-backup.sqlite');
        symlinkSync(`${ws.dbPath}-wal`, link);

        const [wal, shm, journal, linked, itself] = await Promise.all([
          ws.run(['backup', `${ws.dbPath}-wal`, '--force']),
          ws.run(['backup', `${ws.dbPath}-shm`, '--force']),
          ws.run(['backup', `${ws.dbPath}-journal`, '--force']),
          ws.run(['backup', link, '--force']),
          ws.run(['backup', ws.dbPath]),
        ]);

        expect(wal).toMatchObject({ code: 1, stdout: '' });
        expect(wal.stderr).toBe(
          `cmd-bot: ${ws.dbPath}-wal is the database's write-ahead log; back the database up to another file.\n`,
        );
        expect(shm.code).toBe(1);
        expect(shm.stderr).toContain("-shm is the database's shared-memory index; back the database up");
        expect(journal.code).toBe(1);
        expect(journal.stderr).toContain("-journal is the database's rollback journal; back the database up");
        expect(existsSync(`${ws.dbPath}-journal`)).toBe(false);
        expect(linked.code).toBe(1);
        expect(linked.stderr).toContain(`${link} is the database's write-ahead log;`);
        // Without --force too, and without suggesting it.
        expect(itself).toMatchObject({
          code: 1,
          stderr: `cmd-bot: ${ws.dbPath} is the database itself; back it up to another file.\n`,
        });
        expect(readFileSync(`${ws.dbPath}-wal`).equals(log)).toBe(true);
        expect(live.sqlite.prepare('select count(*) as n from digests').get()).toEqual({ n: 1 });
      } finally {
        live.close();
      }
    }));
});

// FIXED (src/cli/csv.ts): a version such as =HYPERLINK("https://evil.example/","Open") was exported as it is, and
// a spreadsheet opening the CSV evaluated it.
describe.concurrent('cmd-bot export of cells a spreadsheet would evaluate', () => {
  const HYPERLINK = '=HYPERLINK("https://evil.example/","Open")';
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace();
    ws.services('2026-03-02T10:00:00Z', (ctx) => {
      const platforms = ['el9/x86_64'];
      importProducts(
        ctx,
        [
          { name: '@SUM(A1:A9)', platforms },
          { name: '+cmd', platforms },
        ],
        OPERATOR,
      );
      const notes = 'https://example.org/notes';
      submit(
        ctx,
        { product: '@SUM(A1:A9)', version: HYPERLINK, releaseNotes: notes, packages: ['a'] },
        OPERATOR,
      );
      submit(ctx, { product: '+cmd', version: '-1', releaseNotes: notes, packages: ['b'] }, OPERATOR);
    });
  });
  afterAll(() => ws.cleanup());

  it('when exported as CSV, then every cell beginning with =, +, - or @ begins with a quote mark instead', async () => {
    const result = await ws.run(['export', '--format', 'csv']);

    expect(result.code).toBe(0);
    const [, ...rows] = parseCsv(result.stdout);
    expect(rows.map((row) => row.slice(0, 4))).toEqual([
      ['SUB-1', 'submission', "'@SUM(A1:A9)", `'${HYPERLINK}`],
      ['SUB-2', 'submission', "'+cmd", "'-1"],
    ]);
    expect(result.stdout).toContain(`"'=HYPERLINK(""https://evil.example/"",""Open"")"`);
  });

  it('when exported as JSON, then the values are exactly as stored', async () => {
    const data = await ws.json<ExportJson>(['export', '--format', 'json']);

    expect(data.products.map((product) => product.name).sort()).toEqual(['+cmd', '@SUM(A1:A9)']);
    expect(data.submissions.map((submission) => submission.version)).toEqual([HYPERLINK, '-1']);
  });
});
