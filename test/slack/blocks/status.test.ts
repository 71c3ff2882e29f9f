/** `/cmd-status` (a release with its deadlines and history) and `/cmd-list` (many at a glance). */
import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../src/db/repositories/tickets.js';
import type { QcResult } from '../../../src/domain/quality-criteria.js';
import type { ListRow } from '../../../src/services/queries.js';
import { submissionCard } from '../../../src/slack/blocks/card.js';
import { listMessage, statusMessage } from '../../../src/slack/blocks/status.js';
import {
  at,
  HOSTILE_NAME,
  INJECTED_VIEW,
  OPEN_VIEW,
  outline,
  REPORTS,
  report,
  ticket,
  ticketState,
} from './fixtures.js';

describe('/cmd-status', () => {
  it('when a release is injected, then it shows its tickets with deadlines and delays, the reports, and the whole history', () => {
    expect(statusMessage(INJECTED_VIEW)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": "ARC 6.21.1 · UMD-5",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "*SUB-12* · Solved
      *Release notes:* <https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en|https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en>
      *Packages for el9/x86_64 (1):* nordugrid-arc-6.21.1.el9
      *Packages for el8/x86_64 (1):* nordugrid-arc-6.21.1.el8
      *Packages for el8/aarch64 (1):* nordugrid-arc-6.21.1.el8
      *Packages for el10/x86_64 (1):* nordugrid-arc-6.21.1.el10
      *Packages for ubuntu24/amd64 (1):* nordugrid-arc-6.21.1.ubuntu24",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "• *TKT-31* el9/x86_64: *Unverified*, due <!date^1806746400^{date_short_pretty} {time}|2027-04-03 10:00 UTC>
      • *TKT-32* el8/x86_64: *Delayed* — Testbed unavailable: the el8 testbed is down until 12 April &lt;!channel&gt;.
      • *TKT-33* el8/aarch64: *Waiting for provider* — a signed build of nordugrid-arc-client for aarch64
      • *TKT-34* el10/x86_64: *Staged Rollout*, due <!date^1807351200^{date_short_pretty} {time}|2027-04-10 10:00 UTC>
      • *TKT-35* ubuntu24/amd64: *Rejected* — Breaks the gridftp plugin on Ubuntu 24.04.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Early-adopter reports*
      ✅ SITE-A (el10/x86_64) by <@U0ADOPT01>
      ⚠️ SITE-B (el10/x86_64) by <@U0ADOPT02>: arc-client segfaults on submit; workaround: downgrade. ping &lt;!here&gt; &amp; see &lt;https://evil.example|the fix&gt;
      ✅ SITE-Z (el10/x86_64, not on the card) by <@U0ADOPT03>: Fine on 40 worker nodes.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*History*
      <!date^1803891600^{date_short_pretty} {time}|2027-03-01 09:00 UTC> · SUB-12 · <@U0CONTACT1> · Submitted
      <!date^1804068000^{date_short_pretty} {time}|2027-03-03 10:00 UTC> · SUB-12 · <@U0STAFF01> · Inject (Open → Solved)
      <!date^1804240800^{date_short_pretty} {time}|2027-03-05 10:00 UTC> · TKT-33 · <@U0STAFF01> · Waiting for provider (Unverified → Waiting for provider): a signed build of nordugrid-arc-client for aarch64
      <!date^1804586400^{date_short_pretty} {time}|2027-03-09 10:00 UTC> · TKT-35 · <@U0STAFF01> · Reject (Verification → Rejected): Breaks the gridftp plugin on Ubuntu 24.04.
      <!date^1804672800^{date_short_pretty} {time}|2027-03-10 10:00 UTC> · TKT-34 · <@U0STAFF01> · Verification passed (Verification → Staged Rollout)
      <!date^1805104800^{date_short_pretty} {time}|2027-03-15 10:00 UTC> · TKT-32 · cmd-bot · Delayed by the delay check (Verification → Delayed)
      <!date^1805184000^{date_short_pretty} {time}|2027-03-16 08:00 UTC> · TKT-32 · \`jdoe\` (CLI) · Explain delay: Testbed unavailable: ping &lt;!here&gt; &amp; see &lt;https://evil.example|the fix&gt;",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "SUB-12: Solved",
      }
    `);
  });

  it('when tickets were verified, then it counts their quality criteria, lists each Warning, Fail and Not applicable with its note, and the Warnings as known issues', () => {
    const [first, second] = INJECTED_VIEW.tickets as [Ticket, Ticket, ...Ticket[]];
    const qc = (id: string, name: string, result: QcResult['result'], note: string | null = null) => ({
      id,
      name,
      critical: true,
      result,
      note,
    });
    const warning = qc('QC_SEC_5', 'World Writable Files', 'warning', 'Two log files <!here> & more');
    const tickets = [
      {
        ...first,
        qcResults: [
          qc('QC_DOC_1', 'Release Notes', 'ok'),
          qc('QC_DOC_2', 'User Documentation', 'not_applicable', 'Server side only'),
          { ...qc('QC_DOC_3', 'API Documentation', null), critical: false },
          warning,
        ],
      },
      { ...second, qcResults: [qc('QC_DOC_1', 'Release Notes', 'ok'), warning] },
    ];
    const blocks = outline(statusMessage({ ...INJECTED_VIEW, tickets, reports: [] }).blocks);
    expect(blocks.slice(3, 5)).toMatchInlineSnapshot(`
      [
        "section: *Quality criteria*
      • *TKT-31* el9/x86_64: 1 OK · 1 Warning · 1 Not applicable · 1 not answered
          ◦ Not applicable: QC_DOC_2 User Documentation (critical): Server side only
          ◦ Warning: QC_SEC_5 World Writable Files (critical): Two log files &lt;!here&gt; &amp; more
      • *TKT-32* el8/x86_64: 1 OK · 1 Warning
          ◦ Warning: QC_SEC_5 World Writable Files (critical): Two log files &lt;!here&gt; &amp; more",
        "section: *Known issues from verification*
      • QC_SEC_5 World Writable Files: Two log files &lt;!here&gt; &amp; more (TKT-31, TKT-32)",
      ]
    `);
  });

  it('when the product has earlier submissions, then a line under the headline names them', () => {
    const earlier = [
      { id: 9, version: '6.21.0' },
      { id: 4, version: '6.20.2' },
    ];

    expect(outline(statusMessage(OPEN_VIEW, earlier).blocks)).toMatchInlineSnapshot(`
      [
        "header: ARC 6.21.1 · UMD-5",
        "context: Latest of 3; earlier: SUB-9 (6.21.0), SUB-4 (6.20.2)",
        "section: *SUB-12* · Open · injection due <!date^1804496400^{date_short_pretty} {time}|2027-03-08 09:00 UTC>
      *Release notes:* <https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en|https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en>
      *Packages (3):* nordugrid-arc-6.21.1, nordugrid-arc-client-6.21.1, nordugrid-arc-plugins-6.21.1",
        "divider",
        "section: *History*
      <!date^1803891600^{date_short_pretty} {time}|2027-03-01 09:00 UTC> · SUB-12 · <@U0CONTACT1> · Submitted",
      ]
    `);
  });

  it('when the history is longer than shown, then it says how much of it is shown', () => {
    const history = Array.from({ length: 30 }, (_, i) => ({
      ...(INJECTED_VIEW.history[0] as (typeof INJECTED_VIEW.history)[number]),
      id: i + 1,
      event: 'resume',
      at: at(`2027-03-${String(i + 1).padStart(2, '0')}T09:00:00Z`),
    }));

    const blocks = outline(statusMessage({ ...OPEN_VIEW, history }).blocks);

    expect(blocks.at(-1)?.split('\n').slice(0, 3)).toMatchInlineSnapshot(`
      [
        "section: *History*",
        "…5 earlier entries, not shown here",
        "<!date^1804323600^{date_short_pretty} {time}|2027-03-06 09:00 UTC> · SUB-12 · <@U0CONTACT1> · Resume",
      ]
    `);
  });
});

describe('/cmd-status with structured early-adopter reports', () => {
  it('when sites said how they installed, what they tested and worked around a problem, then each report says so and the workarounds are listed as known issues', () => {
    const reports = [
      ...REPORTS,
      report(4, 34, {
        site: 'SITE-C',
        outcome: 'problem',
        installKind: 'upgrade',
        upgradedFrom: '6.20.0',
        tested: 'job submission\nand staging',
        details: 'A-REX does not start <!here>',
        workaround: 'restart it',
      }),
      report(5, 34, { site: 'SITE-D', installKind: 'new', tested: 'jobs' }),
    ];

    const blocks = outline(statusMessage({ ...INJECTED_VIEW, reports }).blocks);

    expect(blocks.filter((block) => /Early-adopter reports|Known issues/.test(block))).toMatchInlineSnapshot(`
      [
        "section: *Early-adopter reports*
      ✅ SITE-A (el10/x86_64) by <@U0ADOPT01>
      ⚠️ SITE-B (el10/x86_64) by <@U0ADOPT02>: arc-client segfaults on submit; workaround: downgrade. ping &lt;!here&gt; &amp; see &lt;https://evil.example|the fix&gt;
      ✅ SITE-Z (el10/x86_64, not on the card) by <@U0ADOPT03>: Fine on 40 worker nodes.
      ⚠️ SITE-C (el10/x86_64) by <@U0ADOPT01> · upgrade from 6.20.0: A-REX does not start &lt;!here&gt; — workaround: restart it · tested: job submission and staging
      ✅ SITE-D (el10/x86_64) by <@U0ADOPT01> · new install · tested: jobs",
        "section: *Known issues from early adopters*
      • el10/x86_64: A-REX does not start &lt;!here&gt; — workaround: restart it (reported by SITE-C)",
      ]
    `);
  });
});

describe('/cmd-status of a release too big for a section', () => {
  // FIXED (src/slack/blocks/kit.ts, linesWithin): the tickets, the reports and the history each go in one section,
  // which holds 3,000 characters; past that the text was cut mid-line with "…" and the rest was not counted.
  it('when a release has thirty tickets, then the tickets that fit are listed whole and the rest counted', () => {
    const tickets = Array.from({ length: 30 }, (_, i) =>
      ticket(
        100 + i,
        `platform-${i}/x86_64`,
        ticketState('unverified', { deadline: at('2027-04-03T10:00:00Z') }),
      ),
    );

    const section = outline(statusMessage({ ...INJECTED_VIEW, tickets, reports: [] }).blocks)[2] ?? '';

    expect({ lines: section.split('\n').length, end: section.slice(-40) }).toMatchInlineSnapshot(`
      {
        "end": "UTC>
      …and 6 more tickets, not shown here",
        "lines": 25,
      }
    `);
  });

  it('when the last 25 history entries have long reasons, then the newest that fit are shown whole and the earlier counted', () => {
    const history = INJECTED_VIEW.history.map((entry) => ({ ...entry, reason: 'r'.repeat(600) }));

    const section = outline(statusMessage({ ...INJECTED_VIEW, history }).blocks).at(-1) ?? '';

    expect({ lines: section.split('\n').length, end: section.slice(-40) }).toMatchInlineSnapshot(`
      {
        "end": "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr",
        "lines": 5,
      }
    `);
  });
});

const row = (fields: Partial<ListRow> & Pick<ListRow, 'id'>): ListRow => ({
  kind: 'ticket',
  product: 'ARC',
  version: '6.21.1',
  distribution: 'UMD-5',
  platform: 'el9/x86_64',
  status: 'unverified',
  statusLabel: 'Unverified',
  security: false,
  deadline: null,
  overdue: false,
  ...fields,
});

describe('/cmd-list', () => {
  it('when items are open, then each shows its release, platform, status, deadline while its clock runs, and whether it is overdue', () => {
    const rows: ListRow[] = [
      row({
        id: 'SUB-13',
        kind: 'submission',
        product: HOSTILE_NAME,
        version: '2.0.0-rc1',
        platform: null,
        status: 'open',
        statusLabel: 'Open',
        security: true,
        deadline: at('2027-03-08T09:00:00Z'),
        overdue: true,
      }),
      row({ id: 'TKT-31', deadline: at('2027-04-03T10:00:00Z') }),
      row({
        id: 'TKT-32',
        platform: 'el8/x86_64',
        status: 'delayed',
        statusLabel: 'Delayed',
        deadline: at('2027-03-15T10:00:00Z'),
        overdue: true,
      }),
      row({
        id: 'TKT-33',
        platform: 'el8/aarch64',
        status: 'waiting_for_provider',
        statusLabel: 'Waiting for provider',
        deadline: at('2027-04-03T10:00:00Z'),
      }),
    ];

    expect(listMessage('Open items', rows)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "*Open items* (4)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "🚨 *SUB-13* Bits &amp; &lt;!channel&gt; Pieces 2.0.0-rc1 · Open · due <!date^1804496400^{date_short_pretty} {time}|2027-03-08 09:00 UTC> · *overdue*
      *TKT-31* ARC 6.21.1 el9/x86_64 · Unverified · due <!date^1806746400^{date_short_pretty} {time}|2027-04-03 10:00 UTC>
      *TKT-32* ARC 6.21.1 el8/x86_64 · Delayed · *overdue*
      *TKT-33* ARC 6.21.1 el8/aarch64 · Waiting for provider",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "Open items: 4",
      }
    `);
  });

  it('when nothing matches, then it says so', () => {
    expect(listMessage('Delayed', [])).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "*Delayed*: nothing to show.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "Delayed: nothing",
      }
    `);
  });

  // FIXED (src/slack/blocks/kit.ts, sectionsOf): twenty rows went in one section, which holds 3,000 characters:
  // the section was cut and rows were lost, uncounted.
  it('when twenty rows with long product names and deadlines do not fit one section, then they go on in the next, none lost', () => {
    const rows = Array.from({ length: 20 }, (_, i) =>
      row({
        id: `TKT-${1000 + i}`,
        product: `A product with a long name, as Product ID cards allow: eighty characters ${i}`.slice(0, 80),
        status: 'staged_rollout',
        statusLabel: 'Staged Rollout',
        deadline: at('2027-04-10T10:00:00Z'),
        security: true,
      }),
    );

    const blocks = outline(listMessage('Open items', rows).blocks);
    const section = blocks[1] ?? '';

    expect(blocks.join('\n').match(/\*TKT-10\d\d\*/g)).toHaveLength(20);
    expect({ lines: section.split('\n').length, end: section.slice(-40) }).toMatchInlineSnapshot(`
      {
        "end": "ort_pretty} {time}|2027-04-10 10:00 UTC>",
        "lines": 15,
      }
    `);
  });

  it('when more items match than it lists, then it shows forty in sections of twenty and says how to narrow it', () => {
    const rows = Array.from({ length: 45 }, (_, i) => row({ id: `TKT-${i + 1}` }));

    const blocks = outline(listMessage('Open items', rows).blocks);

    expect(blocks.map((line) => line.split('\n')[0])).toMatchInlineSnapshot(`
      [
        "section: *Open items* (45)",
        "section: *TKT-1* ARC 6.21.1 el9/x86_64 · Unverified",
        "section: *TKT-21* ARC 6.21.1 el9/x86_64 · Unverified",
        "context: and 5 more: narrow it with \`/cmd-list STATUS\` or use the CLI.",
      ]
    `);
  });
});

describe("a descriptor's warnings", () => {
  const warnings = Array.from({ length: 12 }, (_, i) => `warning ${i + 1} <!channel>`);
  const view = { ...OPEN_VIEW, submission: { ...OPEN_VIEW.submission, descriptorWarnings: warnings } };
  const texts = (blocks: readonly unknown[] | undefined) => JSON.stringify(blocks ?? []);

  it('when there are more than the card shows, then the card lists 8 and points to /cmd-status, which lists them all, escaped', () => {
    const card = texts(submissionCard(view).blocks);
    expect(card).toContain('warning 8 &lt;!channel&gt;');
    expect(card).not.toContain('warning 9 ');
    expect(card).toContain('…and 4 more: `/cmd-status SUB-');
    const status = texts(statusMessage(view).blocks);
    for (const warning of warnings)
      expect(status).toContain(warning.replace('<!channel>', '&lt;!channel&gt;'));
    expect(status).not.toContain('more warnings');
    expect(status).not.toContain('<!channel>');
  });
});
