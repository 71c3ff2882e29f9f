/** `/cmd-product NAME` (a Product ID card, with Edit for staff) and `/cmd-help`. */
import { Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import { helpMessage } from '../../../src/slack/blocks/help.js';
import { noProductMessage, productMessage } from '../../../src/slack/blocks/product.js';
import { ARC, HOSTILE_NAME, HOSTILE_PRODUCT, outline, productCard } from './fixtures.js';

describe('/cmd-product', () => {
  it('when staff look up a full card, then every field shows, contacts as mentions, with an Edit button', () => {
    expect(productMessage(ARC, true)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": "Product ID card: ARC",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "*Team:* NorduGrid
      *Support:* arc-support@example.org
      *Website:* https://www.nordugrid.org
      *Team leader:* Jane Doe
      *Repository:* https://github.com/nordugrid/arc
      *Documentation:* https://www.nordugrid.org/documents/
      *Contacts:* <@U0CONTACT1>, <@U0CONTACT2>
      *Channel:* <#C0456EFGH>
      *Default platforms:* el9/x86_64, el8/x86_64
      *Early-adopter sites:* SITE-A, SITE-B",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "ARC Compute Element and clients.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "action_id": "product:edit",
                "text": {
                  "emoji": true,
                  "text": "Edit",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "ARC",
              },
            ],
            "type": "actions",
          },
        ],
        "text": "Product ID card: ARC",
      }
    `);
  });

  it('when a provider looks up a card with no contacts and a hostile name, then it warns that delays reach nobody, escapes the name, and has no Edit', () => {
    const message = productMessage(HOSTILE_PRODUCT, false);

    expect({ text: message.text, blocks: outline(message.blocks) }).toMatchInlineSnapshot(`
      {
        "blocks": [
          "header: Product ID card: Bits &amp; &lt;!channel&gt; Pieces",
          "section: *Team:* R&amp;D &lt;@U0EVIL99&gt;
      *Support:* arc-support@example.org
      *Website:* https://www.nordugrid.org
      *Team leader:* Jane Doe
      *Repository:* https://github.com/nordugrid/arc
      *Documentation:* https://www.nordugrid.org/documents/
      *Contacts:* _none: delays cannot reach the team_
      *Default platforms:* el9/x86_64, el8/x86_64",
          "section: ARC Compute Element and clients.",
        ],
        "text": "Product ID card: Bits &amp; &lt;!channel&gt; Pieces",
      }
    `);
  });

  it('when a card has only its name, then it says it has no contacts and no default platforms', () => {
    const bare = productCard({
      name: 'Bare',
      team: null,
      supportEmail: null,
      website: null,
      teamLeader: null,
      description: null,
      repositoryUrl: null,
      documentationLinks: [],
      contacts: [],
      contactChannel: null,
      earlyAdopterSites: [],
      platforms: [],
    });

    expect(outline(productMessage(bare, true).blocks)).toMatchInlineSnapshot(`
      [
        "header: Product ID card: Bare",
        "section: *Contacts:* _none: delays cannot reach the team_
      *Default platforms:* _none_",
        "actions: [Edit]",
      ]
    `);
  });

  it('when staff name a product that has no card, then it lists the known ones and offers to create it', () => {
    expect(noProductMessage(HOSTILE_NAME, ['ARC', 'dCache', 'R&D tools'], true)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "There is no Product ID card named *Bits &amp; &lt;!channel&gt; Pieces*. Known: ARC, dCache, R&amp;D tools.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "action_id": "product:edit",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "Create Bits &amp; &lt;!channel&gt; Pieces",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "Bits & <!channel> Pieces",
              },
            ],
            "type": "actions",
          },
        ],
        "text": "No Product ID card named Bits &amp; &lt;!channel&gt; Pieces",
      }
    `);
  });

  it('when a provider names a product that has no card and none exist, then they are told to ask the UMD team', () => {
    expect(outline(noProductMessage('FTS', [], false).blocks)).toMatchInlineSnapshot(`
      [
        "section: There is no Product ID card named *FTS*.",
        "context: Ask the UMD team to create it.",
      ]
    `);
  });
});

const RULES = {
  injectionWorkingDays: 5,
  limits: {
    unverified: Duration.fromISO('P1M'),
    verification: Duration.fromISO('P7D'),
    staged_rollout: Duration.fromISO('P1M'),
  },
};

describe('/cmd-help', () => {
  it('when staff ask for help, then it lists the commands, the limits as configured, and how staff move releases', () => {
    expect(helpMessage(true, RULES)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "*cmd-bot* tracks product releases through EGI’s software provisioning: Unverified → Verification → Staged Rollout → Ready.
      • \`/cmd-submit\` opens a form to submit a release (or upload its UMD5 descriptor there, or in a direct message to cmd-bot); or in one line:
         \`/cmd-submit PRODUCT VERSION URL PKG [PKG…] [platforms=p1,p2] [dist=D] [security]\`
      • \`/cmd-status SUB-12\`, \`/cmd-status TKT-34\` or \`/cmd-status PRODUCT\`: status, deadlines and history.
      • \`/cmd-list\` (open items), \`/cmd-list delayed\`, \`/cmd-list mine\`, or \`/cmd-list STATUS\`.
      • \`/cmd-product NAME\`: a Product ID card.
      • \`/cmd-release show UMD-5.1.0\`: what a numbered release holds, and what is on its way to it.
      Limits: injection within 5 working days, Unverified at most 1 month, Verification at most 7 days, Staged Rollout at most 1 month.
      You are UMD staff: move releases with the buttons on their cards in the UMD channel.
      • \`/cmd-report\` (last month) or \`/cmd-report 2027-03\`: the process report, per stage and product.
      • \`/cmd-release new UMD-5.1.0 2027-03-15 [security]\`, \`/cmd-release add|remove UMD-5.1.0 TKT-3 reason\`, \`/cmd-release publish UMD-5.1.0 [notes link]\`, \`/cmd-release cancel UMD-5.1.0 reason\`: the release train.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "How to use cmd-bot",
      }
    `);
  });

  it('when a provider asks for help, then the line for staff is left out', () => {
    const lines = outline(helpMessage(false, RULES).blocks)[0]?.split('\n') ?? [];

    expect(lines.slice(-2)).toMatchInlineSnapshot(`
      [
        "• \`/cmd-release show UMD-5.1.0\`: what a numbered release holds, and what is on its way to it.",
        "Limits: injection within 5 working days, Unverified at most 1 month, Verification at most 7 days, Staged Rollout at most 1 month.",
      ]
    `);
  });
});
