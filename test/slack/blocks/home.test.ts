/** The App Home tab: the whole process for staff, one's own releases for a provider. */
import { describe, expect, it } from 'vitest';
import type { HomeItem, ProviderHome, StaffHome } from '../../../src/services/home.js';
import { providerHomeView, staffHomeView } from '../../../src/slack/blocks/home.js';
import { ARC, at, HOSTILE_NAME, HOSTILE_TEXT, outline, submission, ticket, ticketState } from './fixtures.js';

const item = (fields: Partial<HomeItem> & Pick<HomeItem, 'id'>): HomeItem => ({
  kind: 'ticket',
  submissionId: 12,
  product: 'ARC',
  version: '6.21.1',
  platform: 'el9/x86_64',
  status: 'unverified',
  security: false,
  deadline: null,
  note: null,
  ...fields,
});

const STAFF_HOME: StaffHome = {
  ticketCounts: {
    unverified: 12,
    verification: 3,
    staged_rollout: 5,
    ready: 40,
    delayed: 2,
    rejected: 1,
    waiting_for_provider: 1,
  },
  submissionCounts: { open: 1, waiting_for_provider: 1, solved: 30 },
  overdue: 3,
  openSubmissions: [
    item({
      kind: 'submission',
      id: 13,
      submissionId: 13,
      product: HOSTILE_NAME,
      version: '2.0.0-rc1',
      platform: null,
      status: 'open',
      security: true,
      deadline: at('2027-03-08T09:00:00Z'),
    }),
    item({
      kind: 'submission',
      id: 14,
      submissionId: 14,
      product: 'dCache',
      version: '10.2.3',
      platform: null,
      status: 'waiting_for_provider',
      deadline: at('2027-03-09T09:00:00Z'),
      note: 'the signed RPMs',
    }),
  ],
  delayed: [
    item({
      id: 32,
      platform: 'el8/x86_64',
      status: 'delayed',
      deadline: at('2027-03-15T10:00:00Z'),
      note: `Testbed unavailable: ${HOSTILE_TEXT}`,
    }),
    item({
      id: 36,
      status: 'delayed',
      deadline: at('2027-03-16T10:00:00Z'),
      note: 'The Unverified limit of 1 month passed at 2027-03-16 10:00 UTC and the ticket is now late.',
    }),
  ],
  dueSoon: [item({ id: 31, deadline: at('2027-03-20T10:00:00Z') })],
  waiting: [
    item({
      id: 33,
      platform: 'el8/aarch64',
      status: 'waiting_for_provider',
      deadline: at('2027-04-03T10:00:00Z'),
      note: 'a signed build of nordugrid-arc-client for aarch64',
    }),
  ],
  totals: { dueSoon: 20, delayed: 2, waiting: 1, open: 2 },
  releases: [],
};

describe('the App Home of staff', () => {
  it('when work is open, then it shows the counts and each list, security first, with deadlines and notes', () => {
    expect(staffHomeView(STAFF_HOME)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": "CMD/UMD provisioning",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "*Tickets* Unverified: *12* · Verification: *3* · Staged Rollout: *5* · Ready: *40* · Delayed: *2* · Rejected: *1* · Waiting for provider: *1* · Superseded: *0* · Released: *0*
      *Submissions to inject:* 2 (1 waiting on their providers) · *Overdue:* 3",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*Submissions waiting for injection* (2)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "🚨 *SUB-13* Bits &amp; &lt;!channel&gt; Pieces 2.0.0-rc1 · Open · due <!date^1804496400^{date_short_pretty} {time}|2027-03-08 09:00 UTC>
      *SUB-14* dCache 10.2.3 · Waiting for provider — the signed RPMs",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*Delayed* (2)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*TKT-32* ARC 6.21.1 el8/x86_64 · Delayed — Testbed unavailable: ping &lt;!here&gt; &amp; see &lt;https://evil.example|the fix&gt;
      *TKT-36* ARC 6.21.1 el9/x86_64 · Delayed — The Unverified limit of 1 month passed at 2027-03-16 10:00 UTC and the ticket is now late.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*Due in the next 7 days* (20)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*TKT-31* ARC 6.21.1 el9/x86_64 · Unverified · due <!date^1805536800^{date_short_pretty} {time}|2027-03-20 10:00 UTC>
      and 19 more: \`/cmd-list\`",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*Waiting on providers* (1)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*TKT-33* ARC 6.21.1 el8/aarch64 · Waiting for provider — a signed build of nordugrid-arc-client for aarch64",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "type": "home",
      }
    `);
  });

  it('when nothing is open, then every list says so', () => {
    const empty: StaffHome = {
      ticketCounts: {},
      submissionCounts: {},
      overdue: 0,
      openSubmissions: [],
      delayed: [],
      dueSoon: [],
      waiting: [],
      totals: { dueSoon: 0, delayed: 0, waiting: 0, open: 0 },
      releases: [],
    };

    expect(outline(staffHomeView(empty).blocks)).toMatchInlineSnapshot(`
      [
        "header: CMD/UMD provisioning",
        "section: *Tickets* Unverified: *0* · Verification: *0* · Staged Rollout: *0* · Ready: *0* · Delayed: *0* · Rejected: *0* · Waiting for provider: *0* · Superseded: *0* · Released: *0*
      *Submissions to inject:* 0 · *Overdue:* 0",
        "divider",
        "section: *Submissions waiting for injection* (0)",
        "context: Nothing here.",
        "divider",
        "section: *Delayed* (0)",
        "context: Nothing here.",
        "divider",
        "section: *Due in the next 7 days* (0)",
        "context: Nothing here.",
        "divider",
        "section: *Waiting on providers* (0)",
        "context: Nothing here.",
      ]
    `);
  });

  // FIXED (src/slack/blocks/kit.ts, linesWithin): a list shows up to 15 items in one section (3,000 characters)
  // and a note may have 200: the section was cut mid-line and the items past it were not counted.
  it('when fifteen delayed tickets have long notes, then those that fit are listed whole and the rest counted', () => {
    const delayed = Array.from({ length: 15 }, (_, i) =>
      item({ id: 100 + i, status: 'delayed', note: `Testbed unavailable: ${'n'.repeat(200)}` }),
    );

    const section =
      outline(
        staffHomeView({ ...STAFF_HOME, delayed, totals: { ...STAFF_HOME.totals, delayed: 15 } }).blocks,
      )[7] ?? '';

    expect({ lines: section.split('\n').length, end: section.slice(-30) }).toMatchInlineSnapshot(`
      {
        "end": "nnnnnn
      and 4 more: \`/cmd-list\`",
        "lines": 12,
      }
    `);
  });
});

describe('the App Home of a provider', () => {
  it('when they have releases, then each shows its status, deadline and tickets, and older ones are counted', () => {
    const home: ProviderHome = {
      total: 5,
      submissions: [
        {
          ...item({
            kind: 'submission',
            id: 12,
            platform: null,
            status: 'solved',
            deadline: null,
          }),
          ticketStatuses: ['unverified', 'delayed', 'waiting_for_provider', 'staged_rollout', 'rejected'],
        },
        {
          ...item({
            kind: 'submission',
            id: 15,
            version: '6.22.0',
            platform: null,
            status: 'open',
            deadline: at('2027-03-26T09:00:00Z'),
          }),
          ticketStatuses: [],
        },
        {
          ...item({
            kind: 'submission',
            id: 16,
            version: '6.22.1',
            platform: null,
            status: 'waiting_for_provider',
            deadline: at('2027-03-29T09:00:00Z'),
            note: 'the <b>changelog</b>',
          }),
          ticketStatuses: [],
        },
      ],
    };

    expect(providerHomeView(home)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": "Your releases",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "elements": [
              {
                "text": "Submit a new one with \`/cmd-submit\`; see one with \`/cmd-status SUB-n\`.",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "text": {
              "text": "*SUB-12* ARC 6.21.1 · Solved
      Tickets: Unverified, Delayed, Waiting for provider, Staged Rollout, Rejected",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*SUB-15* ARC 6.22.0 · Open · due <!date^1806051600^{date_short_pretty} {time}|2027-03-26 09:00 UTC>",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*SUB-16* ARC 6.22.1 · Waiting for provider — the &lt;b&gt;changelog&lt;/b&gt;",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "and 2 older ones.",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "type": "home",
      }
    `);
  });

  it('when they have no release yet, then it says so and how to submit one', () => {
    expect(outline(providerHomeView({ total: 0, submissions: [] }).blocks)).toMatchInlineSnapshot(`
      [
        "header: Your releases",
        "context: Submit a new one with \`/cmd-submit\`; see one with \`/cmd-status SUB-n\`.",
        "section: You have no submissions yet.",
      ]
    `);
  });
});

describe('the releases on the App Home of staff', () => {
  it('when releases are planned, then each shows its state, date, cut-off, candidates and what is at risk', () => {
    const release = {
      id: 1,
      distribution: 'UMD-5',
      version: '5.1.0',
      releaseDate: '2027-03-15',
      security: false,
      cutoffAt: new Date('2027-03-08T23:00:00Z'),
      state: 'planned' as const,
      createdBy: 'USTAFF1',
      createdAt: new Date('2027-03-01T09:00:00Z'),
      frozenAt: null,
      publishedAt: null,
      notesUrl: null,
      cancelledReason: null,
      description: null,
      installationNotes: null,
      knownIssues: null,
    };
    const late = ticket(7, 'el9/x86_64', ticketState('unverified'));
    const view = staffHomeView({
      ...STAFF_HOME,
      releases: [
        {
          release,
          candidates: 2,
          atRiskCount: 1,
          atRisk: [{ ticket: late, submission: submission(), product: ARC, forecast: { kind: 'stalled' } }],
        },
      ],
    });
    expect(outline(view.blocks).at(-1)).toMatchInlineSnapshot(`
      "section: *Releases*
      • *UMD 5.1.0* · planned · 2027-03-15 · cut-off <!date^1804546800^{date_short_pretty} {time}|2027-03-08 23:00 UTC> · 2 candidates · ⚠️ 1 at risk: TKT-7 ARC el9/x86_64"
    `);
  });
});
