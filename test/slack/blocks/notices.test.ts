/** What the bot posts besides the card: the staged-rollout announcement, notices, and replies in a card's thread. */
import { describe, expect, it } from 'vitest';
import { md, mention } from '../../../src/mrkdwn.js';
import { combinedNoticeText, ticketNoticeText, ticketTitle } from '../../../src/services/notices/index.js';
import { earlyAdopterAnnouncement, noticeMessage, threadReply } from '../../../src/slack/blocks/notices.js';
import { ADOPTER, INJECTED_VIEW, OTHER_ADOPTER, outline, SECURITY_VIEW, STAFF, TICKETS } from './fixtures.js';

const [UNVERIFIED, DELAYED, WAITING, STAGED, REJECTED] = TICKETS as [
  (typeof TICKETS)[number],
  (typeof TICKETS)[number],
  (typeof TICKETS)[number],
  (typeof TICKETS)[number],
  (typeof TICKETS)[number],
];
const { submission, product } = INJECTED_VIEW;
const noticeAbout = (topic: string, ticket: (typeof TICKETS)[number]) =>
  ticketNoticeText(topic, ticketTitle(product, submission, ticket), ticket.state);

describe('the staged-rollout announcement', () => {
  it('when a release passes verification, then early adopters read what to install, where the notes are, and get a button for each outcome', () => {
    expect(earlyAdopterAnnouncement(INJECTED_VIEW, ['el10/x86_64'])).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": "Staged rollout: ARC 6.21.1 · UMD-5",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "*ARC 6.21.1* passed verification and is ready for staged rollout on *el10/x86_64*.
      *Release notes:* <https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en|https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en>",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*el10/x86_64:* nordugrid-arc-6.21.1.el10",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "Install it at your site, then tell us how it went:",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "block_id": "ea:SUB-12",
            "elements": [
              {
                "action_id": "ea_report:works",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "Installed, works",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "SUB-12",
              },
              {
                "action_id": "ea_report:problem",
                "style": "danger",
                "text": {
                  "emoji": true,
                  "text": "Problem found",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "SUB-12",
              },
            ],
            "type": "actions",
          },
        ],
        "text": "Staged rollout: ARC 6.21.1 (SUB-12) on el10/x86_64",
      }
    `);
  });

  it('when another platform joins staged rollout later, then its own message says "now also on" and lists only its packages', () => {
    const message = earlyAdopterAnnouncement(INJECTED_VIEW, ['el9/x86_64'], { added: true });

    expect({ text: message.text, blocks: outline(message.blocks) }).toMatchInlineSnapshot(`
      {
        "blocks": [
          "header: Staged rollout: ARC 6.21.1 · UMD-5, now also on el9/x86_64",
          "section: *ARC 6.21.1* is now also ready for staged rollout on *el9/x86_64*.
      *Release notes:* <https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en|https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&amp;lang=en>",
          "section: *el9/x86_64:* nordugrid-arc-6.21.1.el9",
          "context: Install it at your site, then tell us how it went:",
          "actions ea:SUB-12: [Installed, works (primary)] [Problem found (danger)]",
        ],
        "text": "Staged rollout: ARC 6.21.1 (SUB-12) now also on el9/x86_64",
      }
    `);
  });

  it('when it is a security release of a product with a hostile name, then it is flagged and the name is escaped', () => {
    const message = earlyAdopterAnnouncement(SECURITY_VIEW, ['el9/x86_64', 'el8/x86_64']);

    expect({ text: message.text, blocks: outline(message.blocks).slice(0, 3) }).toMatchInlineSnapshot(`
      {
        "blocks": [
          "header: Staged rollout: 🚨 SECURITY · Bits &amp; &lt;!channel&gt; Pieces 2.0.0-rc1 · UMD-5",
          "section: *Bits &amp; &lt;!channel&gt; Pieces 2.0.0-rc1* passed verification and is ready for staged rollout on *el9/x86_64, el8/x86_64*.
      *Release notes:* <https://bits.example.org/advisories/2027-01|https://bits.example.org/advisories/2027-01>",
          "section: *el9/x86_64:* bits-2.0.0",
        ],
        "text": "[SECURITY] Staged rollout: Bits &amp; &lt;!channel&gt; Pieces 2.0.0-rc1 (SUB-13) on el9/x86_64, el8/x86_64",
      }
    `);
  });
});

describe('a notice', () => {
  it('when a ticket is delayed, then the product team reads which release, why, and where to see details', () => {
    expect(noticeMessage(noticeAbout('delayed', DELAYED), submission.id)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "TKT-32 ARC 6.21.1 (UMD-5) on el8/x86_64 is Delayed. Testbed unavailable: the el8 testbed is down until 12 April &lt;!channel&gt;.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "SUB-12 · details: \`/cmd-status SUB-12\`",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "TKT-32 ARC 6.21.1 (UMD-5) on el8/x86_64 is Delayed. Testbed unavailable: the el8 testbed is down until 12 April &lt;!channel&gt;.",
      }
    `);
  });

  it('when a notice belongs to no submission (the daily digest), then it has no details line', () => {
    const text = md`Daily digest for Monday 22 March 2027\n\n*Delayed (1)*\n• TKT-32 ARC 6.21.1 el8/x86_64`;

    expect(outline(noticeMessage(text, undefined).blocks)).toMatchInlineSnapshot(`
      [
        "section: Daily digest for Monday 22 March 2027

      *Delayed (1)*
      • TKT-32 ARC 6.21.1 el8/x86_64",
      ]
    `);
  });

  it('when one check gives someone more than five notices, then they come as one message listing them', () => {
    const lines = [
      noticeAbout('delayed', DELAYED),
      noticeAbout('waiting', WAITING),
      noticeAbout('staged_rollout_started', STAGED),
      noticeAbout('rejected', REJECTED),
      noticeAbout('verification_failed', { ...UNVERIFIED, state: { ...UNVERIFIED.state, reason: 'no <b>' } }),
      noticeAbout('delay_explained', DELAYED),
    ];

    expect(noticeMessage(combinedNoticeText(lines, lines.length), undefined)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "6 notices from cmd-bot:
      • TKT-32 ARC 6.21.1 (UMD-5) on el8/x86_64 is Delayed. Testbed unavailable: the el8 testbed is down until 12 April &lt;!channel&gt;.
      • TKT-33 ARC 6.21.1 (UMD-5) on el8/aarch64 is waiting for you. The UMD team needs: a signed build of nordugrid-arc-client for aarch64. Its clock is paused until then.
      • TKT-34 ARC 6.21.1 (UMD-5) on el10/x86_64 passed verification (report: https://ci.example.org/report?run=7&amp;platform=el10) and is now in Staged Rollout with early-adopter sites.
      • TKT-35 ARC 6.21.1 (UMD-5) on ubuntu24/amd64 was rejected by the UMD team: Breaks the gridftp plugin on Ubuntu 24.04.
      • TKT-31 ARC 6.21.1 (UMD-5) on el9/x86_64 failed verification: no &lt;b&gt;
      • The reasons for the delay of TKT-32 ARC 6.21.1 (UMD-5) on el8/x86_64: Testbed unavailable: the el8 testbed is down until 12 April &lt;!channel&gt;.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "6 notices from cmd-bot:
      • TKT-32 ARC 6.21.1 (UMD-5) on el8/x86_64 is Delayed. Testbed unavailable: the el8 testbed is down until 12 April &lt;!channel&gt;.
      • TKT-33 ARC 6.21.1 (UMD-5) on el8/aarch64 is waiting for you. The UMD team needs: a signed build of nordugrid-arc-client for aarch64. Its clock is paused until then.
      • TKT-34 ARC 6.21.1 (UMD-5) on el10/x86_64 passed verification (report: https://ci.example.org/report?run=7&amp;platform=el10) and is now in Staged Rollout with early-adopter sites.
      • TKT-35 ARC 6.21.1 (UMD-5) on ubuntu24/amd64 was rejected by the UMD team: Breaks the gridftp plugin on Ubuntu 24.04.
      • TKT-31 ARC 6.21.1 (UMD-5) on el9/x86_64 failed verification: no &lt;b&gt;
      • The reasons for the delay of TKT-32 ARC 6.21.1 (UMD-5) on el8/x86_64: Testbed unavailable: the el8 testbed is down until 12 April &lt;!channel&gt;.",
      }
    `);
  });

  it('when a combined message has more notices than it lists, then it counts the rest and says where to look', () => {
    const lines = Array.from({ length: 20 }, () => noticeAbout('delayed', DELAYED));

    const text = combinedNoticeText(lines, 40).markup.split('\n');

    expect([...text.slice(0, 2), '…', ...text.slice(-2)]).toMatchInlineSnapshot(`
      [
        "40 notices from cmd-bot:",
        "• TKT-32 ARC 6.21.1 (UMD-5) on el8/x86_64 is Delayed. Testbed unavailable: the el8 testbed is down until 12 April &lt;!channel&gt;.",
        "…",
        "• TKT-32 ARC 6.21.1 (UMD-5) on el8/x86_64 is Delayed. Testbed unavailable: the el8 testbed is down until 12 April &lt;!channel&gt;.",
        "…and 25 more; \`/cmd-list\` shows where everything stands.",
      ]
    `);
  });
});

describe('a reply in the thread of a card', () => {
  it('when several changes wait together, then one reply lists them, a line each', () => {
    const lines = [
      md`${mention(STAFF)}: Start verification on TKT-31 (el9/x86_64), now Verification.`,
      md`${mention(ADOPTER)} (SITE-A) reports on TKT-34 el10/x86_64: works`,
      md`${mention(OTHER_ADOPTER)} (SITE-Z, not on the card) reports on TKT-34 el10/x86_64: problem: ${'<!channel> & co'}`,
    ];

    expect(threadReply(lines, submission.id)).toMatchInlineSnapshot(`
      {
        "text": "<@U0STAFF01>: Start verification on TKT-31 (el9/x86_64), now Verification.
      <@U0ADOPT01> (SITE-A) reports on TKT-34 el10/x86_64: works
      <@U0ADOPT02> (SITE-Z, not on the card) reports on TKT-34 el10/x86_64: problem: &lt;!channel&gt; &amp; co",
      }
    `);
  });

  it('when a long line is cut where an escaped character begins, then the cut keeps the entity whole', () => {
    const line = md`${mention(ADOPTER)} (SITE-B) reports on TKT-34 el10/x86_64: ${'a'.repeat(243)} & <!channel> and more`;

    const reply = threadReply([line], submission.id).text;

    expect(reply.slice(-12)).toMatchInlineSnapshot(`"aaaaaaaaaa …"`);
  });
});

describe('the staged-rollout announcement of a release that came with a UMD5 descriptor', () => {
  const described = {
    ...INJECTED_VIEW,
    descriptor: {
      technologyProvider: 'NORDUGRID',
      contact: 'nordugrid-discuss@nordugrid.org',
      technicalContact: 'nordugrid-discuss@nordugrid.org',
      description: null,
      releaseDate: '2024-09-18',
      changeLog: null,
      documentationLinks: [],
      repositoryURL: 'sw/production/umd/5/al9/release/x86_64',
      capabilities: ['Compute'],
      extraOSRepos: ['crb'],
      targets: [
        {
          platform: 'el10/x86_64',
          repositoryURL: 'sw/production/umd/5/<!channel>/release/x86_64',
          gpgkey: 'https://repository.egi.eu/repository/umd/5/UMD-5-RPM-PGP-KEY',
        },
        { platform: 'el9/x86_64', repositoryURL: 'sw/production/umd/5/el9/release/x86_64', gpgkey: null },
      ],
    },
  };

  it('when it is announced on one platform, then it says which repository, key and OS repositories that platform installs from, escaped', () => {
    const lines = outline(earlyAdopterAnnouncement(described, ['el10/x86_64']).blocks);
    expect(lines).toContain(
      'section: *Install el10/x86_64* from `sw/production/umd/5/&lt;!channel&gt;/release/x86_64` (key <https://repository.egi.eu/repository/umd/5/UMD-5-RPM-PGP-KEY|GPG>) · needs OS repos crb',
    );
    expect(lines.join('\n')).not.toContain('el9/release');
  });
});
