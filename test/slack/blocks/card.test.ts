/** The living card of a submission in the UMD channel, as Slack receives it. */
import { describe, expect, it } from 'vitest';
import { submissionCard } from '../../../src/slack/blocks/card.js';
import {
  ADOPTER,
  at,
  INJECTED_VIEW,
  OPEN_VIEW,
  OTHER_ADOPTER,
  outline,
  report,
  SECURITY_VIEW,
  submission,
  submissionState,
  ticket,
  ticketState,
} from './fixtures.js';

describe('the submission card', () => {
  it('when a contact has just submitted a release, then it shows the release open with its deadline, the comment escaped, and the moves staff have', () => {
    expect(submissionCard(OPEN_VIEW)).toMatchInlineSnapshot(`
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
              "text": "*SUB-12* · submitted by <@U0CONTACT1> <!date^1803891600^{date_short_pretty} {time}|2027-03-01 09:00 UTC>
      *Injection:* due <!date^1804496400^{date_short_pretty} {time}|2027-03-08 09:00 UTC>
      *Release notes:* <https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en|https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en>
      *Team:* NorduGrid",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Packages (3):* nordugrid-arc-6.21.1, nordugrid-arc-client-6.21.1, nordugrid-arc-plugins-6.21.1",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "💬 Please inject before Friday: ping &lt;!here&gt; &amp; see &lt;https://evil.example|the fix&gt;",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "block_id": "submission:SUB-12",
            "elements": [
              {
                "action_id": "move:inject",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "Inject",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"SUB-12","v":1}",
              },
              {
                "action_id": "move:reject",
                "style": "danger",
                "text": {
                  "emoji": true,
                  "text": "Reject",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"SUB-12","v":1}",
              },
              {
                "action_id": "move:wait_for_provider",
                "text": {
                  "emoji": true,
                  "text": "Waiting for provider",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"SUB-12","v":1}",
              },
            ],
            "type": "actions",
          },
          {
            "block_id": "descriptor:SUB-12",
            "elements": [
              {
                "action_id": "descriptor:export",
                "text": {
                  "emoji": true,
                  "text": "UMD5 descriptor",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "SUB-12",
              },
            ],
            "type": "actions",
          },
        ],
        "text": "SUB-12 ARC 6.21.1 (UMD-5): Open",
      }
    `);
  });

  it('when the release is injected, then each ticket shows its state, deadline, reason and links with its own moves, and the early-adopter reports follow', () => {
    expect(submissionCard(INJECTED_VIEW)).toMatchInlineSnapshot(`
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
              "text": "*SUB-12* · submitted by <@U0CONTACT1> <!date^1803891600^{date_short_pretty} {time}|2027-03-01 09:00 UTC>
      *Injection:* solved
      *Release notes:* <https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en|https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en>
      *Team:* NorduGrid",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Packages for el9/x86_64 (1):* nordugrid-arc-6.21.1.el9
      *Packages for el8/x86_64 (1):* nordugrid-arc-6.21.1.el8
      *Packages for el8/aarch64 (1):* nordugrid-arc-6.21.1.el8
      *Packages for el10/x86_64 (1):* nordugrid-arc-6.21.1.el10
      *Packages for ubuntu24/amd64 (1):* nordugrid-arc-6.21.1.ubuntu24",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "descriptor:SUB-12",
            "elements": [
              {
                "action_id": "descriptor:export",
                "text": {
                  "emoji": true,
                  "text": "UMD5 descriptor",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "SUB-12",
              },
            ],
            "type": "actions",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*TKT-31* · el9/x86_64 · *Unverified* · due <!date^1806746400^{date_short_pretty} {time}|2027-04-03 10:00 UTC> · <@U0STAFF01>",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "ticket:TKT-31",
            "elements": [
              {
                "action_id": "move:start_verification",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "Start verification",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-31","v":1}",
              },
              {
                "action_id": "move:wait_for_provider",
                "text": {
                  "emoji": true,
                  "text": "Waiting for provider",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-31","v":1}",
              },
              {
                "action_id": "move:supersede",
                "text": {
                  "emoji": true,
                  "text": "Supersede",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-31","v":1}",
              },
            ],
            "type": "actions",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*TKT-32* · el8/x86_64 · *Delayed*
      ⏰ Testbed unavailable: the el8 testbed is down until 12 April &lt;!channel&gt;.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "ticket:TKT-32",
            "elements": [
              {
                "action_id": "move:pass_verification",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "Verification passed",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-32","v":4}",
              },
              {
                "action_id": "move:fail_verification",
                "style": "danger",
                "text": {
                  "emoji": true,
                  "text": "Verification failed",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-32","v":4}",
              },
              {
                "action_id": "move:reject",
                "style": "danger",
                "text": {
                  "emoji": true,
                  "text": "Reject",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-32","v":4}",
              },
              {
                "action_id": "move:wait_for_provider",
                "text": {
                  "emoji": true,
                  "text": "Waiting for provider",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-32","v":4}",
              },
              {
                "action_id": "move:supersede",
                "text": {
                  "emoji": true,
                  "text": "Supersede",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-32","v":4}",
              },
              {
                "action_id": "move:explain_delay",
                "text": {
                  "emoji": true,
                  "text": "Explain delay",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-32","v":4}",
              },
            ],
            "type": "actions",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*TKT-33* · el8/aarch64 · *Waiting for provider*
      ⏸ Waiting for: a signed build of nordugrid-arc-client for aarch64",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "ticket:TKT-33",
            "elements": [
              {
                "action_id": "move:resume",
                "text": {
                  "emoji": true,
                  "text": "Resume",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-33","v":3}",
              },
              {
                "action_id": "move:supersede",
                "text": {
                  "emoji": true,
                  "text": "Supersede",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-33","v":3}",
              },
            ],
            "type": "actions",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*TKT-34* · el10/x86_64 · *Staged Rollout* · due <!date^1807351200^{date_short_pretty} {time}|2027-04-10 10:00 UTC> · <@U0STAFF01>
      <https://ci.example.org/report?run=7&amp;platform=el10|verification report>",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "ticket:TKT-34",
            "elements": [
              {
                "action_id": "move:mark_ready",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "Ready for release",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-34","v":3}",
              },
              {
                "action_id": "move:reject",
                "style": "danger",
                "text": {
                  "emoji": true,
                  "text": "Reject",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-34","v":3}",
              },
              {
                "action_id": "move:wait_for_provider",
                "text": {
                  "emoji": true,
                  "text": "Waiting for provider",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-34","v":3}",
              },
              {
                "action_id": "move:supersede",
                "text": {
                  "emoji": true,
                  "text": "Supersede",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"s":"TKT-34","v":3}",
              },
            ],
            "type": "actions",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*TKT-35* · ubuntu24/amd64 · *Rejected*
      Breaks the gridftp plugin on Ubuntu 24.04.
      <https://ci.example.org/report?run=6|verification report>",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*Early-adopter reports*
      *el10/x86_64:* works at SITE-A, SITE-Z (not on the card) · problems at SITE-B",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "SUB-12 ARC 6.21.1 (UMD-5): Solved",
      }
    `);
  });

  it('when it is a security release, then the headline and the notification say so first, and the product name is escaped', () => {
    const card = submissionCard(SECURITY_VIEW);

    expect({ text: card.text, blocks: outline(card.blocks).slice(0, 2) }).toMatchInlineSnapshot(`
      {
        "blocks": [
          "header: 🚨 SECURITY · Bits &amp; &lt;!channel&gt; Pieces 2.0.0-rc1 · UMD-5",
          "section: *SUB-13* · submitted by <@U0CONTACT1> <!date^1803891600^{date_short_pretty} {time}|2027-03-01 09:00 UTC>
      *Injection:* due <!date^1804496400^{date_short_pretty} {time}|2027-03-08 09:00 UTC>
      *Release notes:* <https://bits.example.org/advisories/2027-01|https://bits.example.org/advisories/2027-01>
      *Team:* R&amp;D &lt;@U0EVIL99&gt;",
        ],
        "text": "[SECURITY] SUB-13 Bits &amp; &lt;!channel&gt; Pieces 2.0.0-rc1 (UMD-5): Open",
      }
    `);
  });

  it('when the injection deadline has passed, then the injection line says it is overdue', () => {
    const view = {
      ...OPEN_VIEW,
      submission: submission({ injectionOverdueAt: at('2027-03-08T09:00:00Z') }),
    };

    expect(outline(submissionCard(view).blocks)[1]).toMatchInlineSnapshot(`
      "section: *SUB-12* · submitted by <@U0CONTACT1> <!date^1803891600^{date_short_pretty} {time}|2027-03-01 09:00 UTC>
      *Injection:* due <!date^1804496400^{date_short_pretty} {time}|2027-03-08 09:00 UTC> · *overdue*
      *Release notes:* <https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en|https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en>
      *Team:* NorduGrid"
    `);
  });

  it('when the submission waits for the provider, then the injection line says what for and that the clock is paused, and only Resume and Reject are offered', () => {
    const view = {
      ...OPEN_VIEW,
      submission: submission({
        state: submissionState('waiting_for_provider', {
          version: 2,
          deadline: at('2027-03-08T09:00:00Z'),
          waitingFrom: 'open',
          reason: 'the <b>signed</b> packages',
        }),
      }),
    };

    expect(outline(submissionCard(view).blocks)).toMatchInlineSnapshot(`
      [
        "header: ARC 6.21.1 · UMD-5",
        "section: *SUB-12* · submitted by <@U0CONTACT1> <!date^1803891600^{date_short_pretty} {time}|2027-03-01 09:00 UTC>
      *Injection:* waiting for the provider: the &lt;b&gt;signed&lt;/b&gt; packages (clock paused)
      *Release notes:* <https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en|https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en>
      *Team:* NorduGrid",
        "section: *Packages (3):* nordugrid-arc-6.21.1, nordugrid-arc-client-6.21.1, nordugrid-arc-plugins-6.21.1",
        "actions submission:SUB-12: [Resume] [Reject (danger)]",
        "actions descriptor:SUB-12: [UMD5 descriptor]",
      ]
    `);
  });

  it('when the submission is rejected, then the reason is shown and no move is offered', () => {
    const view = {
      ...OPEN_VIEW,
      submission: submission({
        comment: null,
        state: submissionState('rejected', { version: 2, reason: 'Version 6.21.1 is already in UMD-5.' }),
      }),
    };

    const card = submissionCard(view);

    expect({ text: card.text, blocks: outline(card.blocks) }).toMatchInlineSnapshot(`
      {
        "blocks": [
          "header: ARC 6.21.1 · UMD-5",
          "section: *SUB-12* · submitted by <@U0CONTACT1> <!date^1803891600^{date_short_pretty} {time}|2027-03-01 09:00 UTC>
      *Injection:* rejected
      *Release notes:* <https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en|https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en>
      *Team:* NorduGrid",
          "section: *Packages (3):* nordugrid-arc-6.21.1, nordugrid-arc-client-6.21.1, nordugrid-arc-plugins-6.21.1",
          "section: *Rejected:* Version 6.21.1 is already in UMD-5.",
          "actions descriptor:SUB-12: [UMD5 descriptor]",
        ],
        "text": "SUB-12 ARC 6.21.1 (UMD-5): Rejected",
      }
    `);
  });

  it('when a release has more tickets and reports than the card shows, then it says how many more platforms and sites there are and where to read them', () => {
    const tickets = Array.from({ length: 15 }, (_, i) =>
      ticket(100 + i, `p${i}/x86_64`, ticketState('ready', { version: 5 })),
    );
    const reports = Array.from({ length: 11 }, (_, i) =>
      report(10 + i, 100, { site: `SITE-${i}`, platform: 'p0/x86_64', reporter: ADOPTER }),
    );
    const view = { ...INJECTED_VIEW, tickets, reports };

    const lines = outline(submissionCard(view).blocks);

    expect(lines.slice(-4)).toMatchInlineSnapshot(`
      [
        "section: *TKT-111* · p11/x86_64 · *Ready*",
        "context: and 3 more tickets: \`/cmd-status SUB-12\`",
        "divider",
        "section: *Early-adopter reports*
      *p0/x86_64:* works at SITE-0, SITE-1, SITE-2, SITE-3, SITE-4, SITE-5 and 5 more
      *p1/x86_64:* no reports yet
      *p2/x86_64:* no reports yet
      *p3/x86_64:* no reports yet
      *p4/x86_64:* no reports yet
      *p5/x86_64:* no reports yet
      *p6/x86_64:* no reports yet
      *p7/x86_64:* no reports yet
      *p8/x86_64:* no reports yet
      *p9/x86_64:* no reports yet
      *p10/x86_64:* no reports yet
      *p11/x86_64:* no reports yet
      …and 3 more platforms: \`/cmd-status SUB-12\`",
      ]
    `);
  });

  it('when a ticket is Released, then the early-adopter summary still lists its platform', () => {
    const tickets = [ticket(100, 'p0/x86_64', ticketState('released', { version: 6 }))];
    const lines = outline(submissionCard({ ...INJECTED_VIEW, tickets, reports: [] }).blocks);
    expect(lines.at(-1)).toBe('section: *Early-adopter reports*\n*p0/x86_64:* no reports yet');
  });

  it('when sites report on a platform, then its line says where it works and where problems were found, workarounds and sites off the card marked, each list cut with how many more', () => {
    const works = Array.from({ length: 8 }, (_, i) => report(10 + i, 34, { site: `SITE-${i}` }));
    const problems = [
      report(20, 34, { site: 'SITE-C', outcome: 'problem', details: 'slow', workaround: 'restart' }),
      report(21, 34, { site: 'site-c', outcome: 'problem', details: 'slower', reporter: OTHER_ADOPTER }),
      report(22, 34, { site: `<!here> ${'X'.repeat(90)}`, outcome: 'problem', listedSite: false }),
      // Sent before the form asked for a workaround: shown without one.
      report(23, 34, { site: 'SITE-OLD', outcome: 'problem', details: 'old words' }),
    ];

    const section = outline(submissionCard({ ...INJECTED_VIEW, reports: [...works, ...problems] }).blocks).at(
      -1,
    );

    expect(section).toMatchInlineSnapshot(`
      "section: *Early-adopter reports*
      *el10/x86_64:* works at SITE-0, SITE-1, SITE-2, SITE-3, SITE-4, SITE-5 and 2 more · problems at SITE-C (workaround given), &lt;!here&gt; XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX (not on the card), SITE-OLD"
    `);
  });
});
