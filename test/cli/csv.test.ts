import { describe, expect, it } from 'vitest';
import { csvField, exportCsv } from '../../src/cli/csv.js';

describe('csvField', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-3', "'-3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1+1', `"'\r=1+1"`],
    ['=HYPERLINK("https://evil.example/","Open")', `"'=HYPERLINK(""https://evil.example/"",""Open"")"`],
  ])(
    'when a cell begins with what a spreadsheet would evaluate (%j), then it is written as text',
    (value, written) => {
      expect(csvField(value)).toBe(written);
    },
  );

  it.each([
    ['6.21.1', '6.21.1'],
    ['2026-03-02T10:00:00.000Z', '2026-03-02T10:00:00.000Z'],
    ['a=b', 'a=b'],
    ['', ''],
    ['say "hi", then go', '"say ""hi"", then go"'],
  ])('when a cell begins otherwise (%j), then it is written as before', (value, written) => {
    expect(csvField(value)).toBe(written);
  });
});

/** What exportAll returns, with ARC 6.21.1 (SUB-3) submitted at `at` and holding `tickets`; the rest empty. */
function exportData(
  at: Date,
  tickets: readonly Record<string, unknown>[],
  more: Record<string, unknown> = {},
): Parameters<typeof exportCsv>[0] {
  return {
    exportedAt: at.toISOString(),
    products: [{ id: 1, name: 'ARC' }],
    submissions: [
      {
        id: 3,
        productId: 1,
        version: '6.21.1',
        distribution: 'UMD-5',
        platforms: tickets.map((ticket) => ticket.platform),
        security: false,
        submittedBy: 'U0',
        submittedAt: at,
        state: { status: 'solved', deadline: null },
        tickets,
      },
    ],
    history: [],
    refusals: [],
    earlyAdopterReports: [],
    releases: [],
    ...more,
  } as unknown as Parameters<typeof exportCsv>[0];
}

describe('exportCsv', () => {
  it('when a ticket has early-adopter reports, then its row holds every detail of each and whether it was Ready without one that works', () => {
    const at = new Date('2027-03-10T09:00:00Z');
    const ticket = {
      id: 7,
      platform: 'el9/x86_64',
      readyWithoutWorksReport: true,
      state: { status: 'ready', deadline: null },
    };
    const base = {
      ticketId: 7,
      reporter: 'U1',
      platform: 'el9/x86_64',
      at,
      listedSite: true,
      workaround: null,
    };
    const data = exportData(at, [ticket], {
      earlyAdopterReports: [
        {
          ...base,
          id: 1,
          site: 'SITE-A',
          outcome: 'works',
          installKind: 'new',
          upgradedFrom: null,
          tested: 'jobs',
          details: null,
        },
        {
          ...base,
          id: 2,
          site: 'SITE-C',
          listedSite: false,
          outcome: 'problem',
          installKind: 'upgrade',
          upgradedFrom: '6.20.0',
          tested: 'jobs',
          details: 'crash',
          workaround: 'restart',
        },
        // Sent before the form asked for the install and what was tested.
        {
          ...base,
          id: 3,
          site: 'SITE-B',
          outcome: 'works',
          installKind: null,
          upgradedFrom: null,
          tested: null,
          details: 'fine',
        },
      ],
    });

    const [header, , row] = exportCsv(data).split('\r\n');

    expect(header?.split(',').slice(-5)).toEqual([
      'history',
      'ready_without_works_report',
      'early_adopter_reports',
      'qc_results',
      'release',
    ]);
    expect(row).toBe(
      'TKT-7,ticket,ARC,6.21.1,UMD-5,el9/x86_64,ready,,false,U0,2027-03-10T09:00:00.000Z,,true,' +
        'SITE-A works; by U1 at 2027-03-10T09:00:00.000Z; new install; tested: jobs | ' +
        'SITE-C (not on the card) problem; by U1 at 2027-03-10T09:00:00.000Z; upgrade from 6.20.0; tested: jobs; what happened: crash; workaround: restart | ' +
        'SITE-B works; by U1 at 2027-03-10T09:00:00.000Z; notes: fine,,',
    );
  });

  it('when releases exist, then each has a row of its own and a ticket names the release that holds it, not a cancelled one', () => {
    const at = new Date('2027-03-01T09:00:00Z');
    const release = {
      distribution: 'UMD-5',
      security: false,
      createdBy: 'USTAFF1',
      createdAt: at,
      frozenAt: null,
      publishedAt: null,
      notesUrl: null,
      cancelledReason: null,
      takenOutTicketIds: [],
    };
    const tickets = [7, 8].map((id) => ({
      id,
      platform: id === 7 ? 'el9/x86_64' : 'el8/x86_64',
      readyWithoutWorksReport: false,
      state: { status: id === 7 ? 'released' : 'ready', deadline: null },
    }));
    const data = exportData(at, tickets, {
      releases: [
        {
          ...release,
          name: 'UMD-5.0.9',
          version: '5.0.9',
          releaseDate: '2027-03-05',
          cutoffAt: new Date('2027-02-25T23:00:00Z'),
          state: 'cancelled',
          cancelledReason: 'testbed lost, "all" of it',
          ticketIds: [7, 8],
        },
        {
          ...release,
          name: 'UMD-5.1.0',
          version: '5.1.0',
          releaseDate: '2027-03-15',
          cutoffAt: new Date('2027-03-08T23:00:00Z'),
          state: 'published',
          frozenAt: new Date('2027-03-09T00:00:00Z'),
          publishedAt: new Date('2027-03-15T09:00:00Z'),
          notesUrl: 'https://docs.egi.eu/umd/5.1.0',
          ticketIds: [7],
        },
      ],
    });

    const rows = exportCsv(data).split('\r\n');

    expect(rows.slice(2, 6)).toEqual([
      'TKT-7,ticket,ARC,6.21.1,UMD-5,el9/x86_64,released,,false,U0,2027-03-01T09:00:00.000Z,,false,,,UMD-5.1.0',
      'TKT-8,ticket,ARC,6.21.1,UMD-5,el8/x86_64,ready,,false,U0,2027-03-01T09:00:00.000Z,,false,,,',
      'UMD-5.0.9,release,,5.0.9,UMD-5,,cancelled,2027-02-25T23:00:00.000Z,false,USTAFF1,2027-03-01T09:00:00.000Z,' +
        '"release date 2027-03-05 | cancelled: testbed lost, ""all"" of it",,,,UMD-5.0.9',
      'UMD-5.1.0,release,,5.1.0,UMD-5,,published,2027-03-08T23:00:00.000Z,false,USTAFF1,2027-03-01T09:00:00.000Z,' +
        'release date 2027-03-15 | 2027-03-09T00:00:00.000Z frozen | 2027-03-15T09:00:00.000Z published: https://docs.egi.eu/umd/5.1.0,,,,UMD-5.1.0',
    ]);
  });
});
