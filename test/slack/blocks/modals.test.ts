/** The modals: submitting a release, each staff move, an early-adopter report, a Product ID card, and a message. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QC_CRITERIA,
  MAX_QC_CRITERIA,
  type QcCriterion,
} from '../../../src/domain/quality-criteria.js';
import { md } from '../../../src/mrkdwn.js';
import type { ModalView } from '../../../src/slack/blocks/kit.js';
import {
  earlyAdopterModal,
  messageView,
  moveModal,
  productModal,
  submitModal,
} from '../../../src/slack/blocks/modals.js';
import { MOVE_LABELS, type MoveEvent } from '../../../src/slack/moves.js';
import { ARC, HOSTILE_NAME, HOSTILE_PRODUCT, outline, productCard } from './fixtures.js';

const PLATFORMS = ['el9/x86_64', 'el8/x86_64', 'el10/x86_64'];
/** A critical criterion, a conditional one and one that is not critical. */
const QC_CRITERIA: readonly QcCriterion[] = [
  { id: 'QC_DOC_1', name: 'Release Notes', critical: true },
  {
    id: 'QC_SEC_1',
    name: 'X.509 Certificate support',
    critical: true,
    criticalWhen: 'for products requiring authentication',
  },
  { id: 'QC_DOC_3', name: 'API Documentation', critical: false },
];
const DISTRIBUTIONS = ['UMD-5', 'CMD-OS-1'];

/** A form a line per block, with its title, button and metadata (parsed). */
function form(view: ModalView) {
  return {
    title: view.title.text,
    submit: view.submit?.text,
    callback: view.callback_id,
    metadata: view.private_metadata ? JSON.parse(view.private_metadata) : undefined,
    blocks: outline(view.blocks),
  };
}

describe('the submit form', () => {
  it('when someone opens it, then it asks for each field of a release, products shown by name and sent back by id', () => {
    expect(
      submitModal({ products: [ARC, HOSTILE_PRODUCT], platforms: PLATFORMS, distributions: DISTRIBUTIONS }),
    ).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "block_id": "descriptor",
            "element": {
              "action_id": "value",
              "filetypes": [
                "json",
              ],
              "max_files": 1,
              "type": "file_input",
            },
            "hint": {
              "emoji": true,
              "text": "The JSON file of a software-releases pull request. It gives the product, version, release notes, distribution, platforms and packages (a product chosen below must be the same; the distribution and platforms below are not used): leave the typed fields empty.",
              "type": "plain_text",
            },
            "label": {
              "emoji": true,
              "text": "Upload a UMD5 descriptor",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "product",
            "element": {
              "action_id": "value",
              "options": [
                {
                  "text": {
                    "emoji": true,
                    "text": "ARC",
                    "type": "plain_text",
                  },
                  "value": "1",
                },
                {
                  "text": {
                    "emoji": true,
                    "text": "Bits &amp; &lt;!channel&gt; Pieces",
                    "type": "plain_text",
                  },
                  "value": "2",
                },
              ],
              "type": "static_select",
            },
            "label": {
              "emoji": true,
              "text": "Product",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "version",
            "element": {
              "action_id": "value",
              "max_length": 64,
              "multiline": false,
              "placeholder": {
                "emoji": true,
                "text": "6.21.1",
                "type": "plain_text",
              },
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Version",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "releaseNotes",
            "element": {
              "action_id": "value",
              "max_length": 2000,
              "multiline": false,
              "placeholder": {
                "emoji": true,
                "text": "https://…",
                "type": "plain_text",
              },
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Release notes link",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "packages",
            "element": {
              "action_id": "value",
              "max_length": 3000,
              "multiline": true,
              "type": "plain_text_input",
            },
            "hint": {
              "emoji": true,
              "text": "Or upload a UMD5 descriptor above (for long lists too).",
              "type": "plain_text",
            },
            "label": {
              "emoji": true,
              "text": "Packages, one per line",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "distribution",
            "element": {
              "action_id": "value",
              "initial_option": {
                "text": {
                  "emoji": true,
                  "text": "UMD-5",
                  "type": "plain_text",
                },
                "value": "UMD-5",
              },
              "options": [
                {
                  "text": {
                    "emoji": true,
                    "text": "UMD-5",
                    "type": "plain_text",
                  },
                  "value": "UMD-5",
                },
                {
                  "text": {
                    "emoji": true,
                    "text": "CMD-OS-1",
                    "type": "plain_text",
                  },
                  "value": "CMD-OS-1",
                },
              ],
              "type": "static_select",
            },
            "label": {
              "emoji": true,
              "text": "Distribution",
              "type": "plain_text",
            },
            "optional": false,
            "type": "input",
          },
          {
            "block_id": "platforms",
            "element": {
              "action_id": "value",
              "options": [
                {
                  "text": {
                    "emoji": true,
                    "text": "el9/x86_64",
                    "type": "plain_text",
                  },
                  "value": "el9/x86_64",
                },
                {
                  "text": {
                    "emoji": true,
                    "text": "el8/x86_64",
                    "type": "plain_text",
                  },
                  "value": "el8/x86_64",
                },
                {
                  "text": {
                    "emoji": true,
                    "text": "el10/x86_64",
                    "type": "plain_text",
                  },
                  "value": "el10/x86_64",
                },
              ],
              "type": "multi_static_select",
            },
            "hint": {
              "emoji": true,
              "text": "Leave empty for the platforms on the Product ID card.",
              "type": "plain_text",
            },
            "label": {
              "emoji": true,
              "text": "Platforms",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "security",
            "element": {
              "action_id": "value",
              "options": [
                {
                  "text": {
                    "emoji": true,
                    "text": "Security (emergency) release",
                    "type": "plain_text",
                  },
                  "value": "security",
                },
              ],
              "type": "checkboxes",
            },
            "label": {
              "emoji": true,
              "text": "Security",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "comment",
            "element": {
              "action_id": "value",
              "max_length": 3000,
              "multiline": true,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Comment",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
        ],
        "callback_id": "submit_release",
        "close": {
          "emoji": true,
          "text": "Cancel",
          "type": "plain_text",
        },
        "private_metadata": "{}",
        "submit": {
          "emoji": true,
          "text": "Submit",
          "type": "plain_text",
        },
        "title": {
          "emoji": true,
          "text": "Submit a release",
          "type": "plain_text",
        },
        "type": "modal",
      }
    `);
  });

  it('when the person is a contact of one product only, then that product and its configured platforms are chosen to start with', () => {
    const arc = { ...ARC, platforms: ['el9/x86_64', 'el8/x86_64', 'ubuntu24/amd64'] };

    const blocks = outline(
      submitModal({ products: [arc], platforms: PLATFORMS, distributions: DISTRIBUTIONS }).blocks,
    );

    expect([blocks[0], blocks[5]]).toMatchInlineSnapshot(`
      [
        "input descriptor "Upload a UMD5 descriptor" (optional): file_input — hint "The JSON file of a software-releases pull request. It gives the product, version, release notes, distribution, platforms and packages (a product chosen below must be the same; the distribution and platforms below are not used): leave the typed fields empty."",
        "input distribution "Distribution": static_select [*UMD-5, CMD-OS-1]",
      ]
    `);
  });
});

describe('the form of a staff move', () => {
  const title = md`TKT-32 ARC 6.21.1 (UMD-5) on el8/x86_64`;

  it('when staff click Inject, then every platform of the submission is ticked and an assignee may be chosen', () => {
    expect(
      moveModal({
        target: { subject: { kind: 'submission', id: 12 }, version: 1 },
        event: 'inject',
        title: md`SUB-12 ARC 6.21.1 (UMD-5)`,
        platforms: ['el9/x86_64', 'el8/x86_64'],
      }),
    ).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "*SUB-12 ARC 6.21.1 (UMD-5)*",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "platforms",
            "element": {
              "action_id": "value",
              "initial_options": [
                {
                  "text": {
                    "emoji": true,
                    "text": "el9/x86_64",
                    "type": "plain_text",
                  },
                  "value": "el9/x86_64",
                },
                {
                  "text": {
                    "emoji": true,
                    "text": "el8/x86_64",
                    "type": "plain_text",
                  },
                  "value": "el8/x86_64",
                },
              ],
              "options": [
                {
                  "text": {
                    "emoji": true,
                    "text": "el9/x86_64",
                    "type": "plain_text",
                  },
                  "value": "el9/x86_64",
                },
                {
                  "text": {
                    "emoji": true,
                    "text": "el8/x86_64",
                    "type": "plain_text",
                  },
                  "value": "el8/x86_64",
                },
              ],
              "type": "checkboxes",
            },
            "label": {
              "emoji": true,
              "text": "Platforms to create tickets for",
              "type": "plain_text",
            },
            "optional": false,
            "type": "input",
          },
          {
            "block_id": "assignee",
            "element": {
              "action_id": "value",
              "type": "users_select",
            },
            "label": {
              "emoji": true,
              "text": "Assignee",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
        ],
        "callback_id": "move",
        "close": {
          "emoji": true,
          "text": "Cancel",
          "type": "plain_text",
        },
        "private_metadata": "{"s":"SUB-12","v":1,"e":"inject"}",
        "submit": {
          "emoji": true,
          "text": "Inject",
          "type": "plain_text",
        },
        "title": {
          "emoji": true,
          "text": "Inject",
          "type": "plain_text",
        },
        "type": "modal",
      }
    `);
  });

  it('when staff click any other move, then its form asks for what that move needs', () => {
    const events = (Object.keys(MOVE_LABELS) as MoveEvent[]).filter((event) => event !== 'inject');

    const forms = Object.fromEntries(
      events.map((event) => {
        const {
          title: name,
          submit,
          metadata,
          blocks,
        } = form(
          moveModal({
            target: { subject: { kind: 'ticket', id: 32 }, version: 4 },
            event,
            title,
            qcCriteria: QC_CRITERIA,
          }),
        );
        return [event, [`${name} / ${submit} / ${JSON.stringify(metadata)}`, ...blocks.slice(1)]];
      }),
    );

    expect(forms).toMatchInlineSnapshot(`
      {
        "explain_delay": [
          "Explain delay / Explain delay / {"s":"TKT-32","v":4,"e":"explain_delay"}",
          "input category "Reason": static_select [Testbed unavailable=testbed_unavailable, Waiting on the provider=waiting_on_provider, No early adopter available=no_early_adopters, UMD team capacity=team_capacity, Problem found in the product=product_problem, Other=other]",
          "input text "Explanation for the product team": plain_text_input multiline max 3000",
        ],
        "fail_verification": [
          "Verification failed / Verification failed / {"s":"TKT-32","v":4,"e":"fail_verification"}",
          "input reason "What failed": plain_text_input multiline max 3000",
          "input failedCriteria "Criteria that failed" (optional): multi_static_select placeholder "Quality criteria" [QC_DOC_1 Release Notes=QC_DOC_1, QC_SEC_1 X.509 Certificate support=QC_SEC_1, QC_DOC_3 API Documentation=QC_DOC_3] — hint "The product team is told which ones."",
          "input reportUrl "Verification report link" (optional): plain_text_input max 2000 placeholder "https://…"",
        ],
        "mark_ready": [
          "Ready for release / Ready for release / {"s":"TKT-32","v":4,"e":"mark_ready"}",
          "input reportUrl "Staged-rollout report link" (optional): plain_text_input max 2000 placeholder "https://…"",
        ],
        "pass_verification": [
          "Verification passed / Verification passed / {"s":"TKT-32","v":4,"e":"pass_verification"}",
          "input reportUrl "Verification report link": plain_text_input max 2000 placeholder "https://…"",
          "context: Give each quality criterion its result. A critical one needs OK, Warning or Not applicable; a Warning becomes a known issue of the release. Warning and Not applicable need a note.",
          "input qc:QC_DOC_1 "QC_DOC_1 Release Notes (critical)": static_select placeholder "Result" [OK=ok, Warning=warning, Fail=fail, Not applicable=not_applicable]",
          "input qcnote:QC_DOC_1 "Note on QC_DOC_1" (optional): plain_text_input max 500 placeholder "Needed for Warning and Not applicable"",
          "input qc:QC_SEC_1 "QC_SEC_1 X.509 Certificate support (critical for products requiring authentication)": static_select placeholder "Result" [OK=ok, Warning=warning, Fail=fail, Not applicable=not_applicable] — hint "If the condition does not hold, choose Not applicable and say why in the note."",
          "input qcnote:QC_SEC_1 "Note on QC_SEC_1" (optional): plain_text_input max 500 placeholder "Needed for Warning and Not applicable"",
          "input qc:QC_DOC_3 "QC_DOC_3 API Documentation" (optional): static_select placeholder "Result" [OK=ok, Warning=warning, Fail=fail, Not applicable=not_applicable]",
          "input qcnote:QC_DOC_3 "Note on QC_DOC_3" (optional): plain_text_input max 500 placeholder "Needed for Warning and Not applicable"",
        ],
        "reject": [
          "Reject / Reject / {"s":"TKT-32","v":4,"e":"reject"}",
          "input reason "Reason": plain_text_input multiline max 3000",
        ],
        "resume": [
          "Resume / Resume / {"s":"TKT-32","v":4,"e":"resume"}",
          "context: Confirm to go ahead.",
        ],
        "start_verification": [
          "Start verification / Start verification / {"s":"TKT-32","v":4,"e":"start_verification"}",
          "context: Confirm to go ahead.",
        ],
        "supersede": [
          "Supersede / Supersede / {"s":"TKT-32","v":4,"e":"supersede"}",
          "input supersededBy "Replaced by" (optional): plain_text_input max 20 placeholder "SUB-12"",
          "input reason "Note" (optional): plain_text_input multiline max 3000",
        ],
        "wait_for_provider": [
          "Waiting for provider / Waiting for provider / {"s":"TKT-32","v":4,"e":"wait_for_provider"}",
          "input needed "What is needed from the provider": plain_text_input multiline max 3000",
        ],
      }
    `);
  });

  it("when staff pass verification with the default criteria, then every criterion has a result and a note, within a modal's 100 blocks", () => {
    const view = moveModal({
      target: { subject: { kind: 'ticket', id: 32 }, version: 4 },
      event: 'pass_verification',
      title,
      qcCriteria: DEFAULT_QC_CRITERIA,
    });
    const ids = view.blocks.map((block) => block.block_id).filter((id) => id?.startsWith('qc'));
    expect(ids).toHaveLength(2 * DEFAULT_QC_CRITERIA.length);
    expect(ids.slice(0, 4)).toEqual(['qc:QC_DOC_1', 'qcnote:QC_DOC_1', 'qc:QC_DOC_2', 'qcnote:QC_DOC_2']);
    expect(view.blocks).toHaveLength(3 + 2 * DEFAULT_QC_CRITERIA.length);
    const largest = moveModal({
      target: { subject: { kind: 'ticket', id: 32 }, version: 4 },
      event: 'pass_verification',
      title,
      qcCriteria: Array.from({ length: MAX_QC_CRITERIA }, (_, i) => ({
        id: `QC_X_${i}`,
        name: `Criterion ${i}`,
        critical: true,
      })),
    });
    expect(largest.blocks.length).toBeLessThanOrEqual(100);
    expect(largest.blocks.at(-1)?.block_id).toBe(`qcnote:QC_X_${MAX_QC_CRITERIA - 1}`);
  });

  it('when a submission has more than ten platforms, then Inject ticks them all in a multi-select', () => {
    const platforms = Array.from({ length: 11 }, (_, i) => `p${i}/x86_64`);

    const view = moveModal({
      target: { subject: { kind: 'submission', id: 12 }, version: 1 },
      event: 'inject',
      title,
      platforms,
    });

    expect(outline(view.blocks)[1]).toMatchInlineSnapshot(
      `"input platforms "Platforms to create tickets for": multi_static_select [*p0/x86_64, *p1/x86_64, *p2/x86_64, *p3/x86_64, *p4/x86_64, *p5/x86_64, *p6/x86_64, *p7/x86_64, *p8/x86_64, *p9/x86_64, *p10/x86_64]"`,
    );
  });

  it('when a submission has more platforms than a select holds, then Inject says so and does nothing', () => {
    const platforms = Array.from({ length: 101 }, (_, i) => `p${i}/x86_64`);

    const view = moveModal({
      target: { subject: { kind: 'submission', id: 12 }, version: 1 },
      event: 'inject',
      title: md`SUB-12 ${HOSTILE_NAME} 2.0.0`,
      platforms,
    });

    expect(view).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "*SUB-12 Bits &amp; &lt;!channel&gt; Pieces 2.0.0* is for 101 platforms, more than a Slack form can list (100), so it cannot be injected here. Nothing was done.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "close": {
          "emoji": true,
          "text": "Close",
          "type": "plain_text",
        },
        "title": {
          "emoji": true,
          "text": "Inject",
          "type": "plain_text",
        },
        "type": "modal",
      }
    `);
  });
});

describe('the early-adopter report form', () => {
  it('when an early adopter clicks Installed, works and the card lists no sites, then their last site is typed in, the one platform chosen, and notes are optional', () => {
    expect(
      earlyAdopterModal({
        submissionId: 12,
        outcome: 'works',
        title: md`ARC 6.21.1 (UMD-5)`,
        platforms: ['el10/x86_64'],
        sites: [],
        site: 'SITE-A',
      }),
    ).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "*ARC 6.21.1 (UMD-5)*",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "site",
            "element": {
              "action_id": "value",
              "initial_value": "SITE-A",
              "max_length": 100,
              "multiline": false,
              "placeholder": {
                "emoji": true,
                "text": "SITE-A",
                "type": "plain_text",
              },
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Your site",
              "type": "plain_text",
            },
            "optional": false,
            "type": "input",
          },
          {
            "block_id": "platform",
            "element": {
              "action_id": "value",
              "initial_option": {
                "text": {
                  "emoji": true,
                  "text": "el10/x86_64",
                  "type": "plain_text",
                },
                "value": "el10/x86_64",
              },
              "options": [
                {
                  "text": {
                    "emoji": true,
                    "text": "el10/x86_64",
                    "type": "plain_text",
                  },
                  "value": "el10/x86_64",
                },
              ],
              "type": "static_select",
            },
            "label": {
              "emoji": true,
              "text": "Platform",
              "type": "plain_text",
            },
            "optional": false,
            "type": "input",
          },
          {
            "block_id": "installKind",
            "element": {
              "action_id": "value",
              "options": [
                {
                  "text": {
                    "emoji": true,
                    "text": "New install",
                    "type": "plain_text",
                  },
                  "value": "new",
                },
                {
                  "text": {
                    "emoji": true,
                    "text": "Upgrade",
                    "type": "plain_text",
                  },
                  "value": "upgrade",
                },
              ],
              "type": "radio_buttons",
            },
            "label": {
              "emoji": true,
              "text": "New install or upgrade",
              "type": "plain_text",
            },
            "optional": false,
            "type": "input",
          },
          {
            "block_id": "upgradedFrom",
            "element": {
              "action_id": "value",
              "max_length": 64,
              "multiline": false,
              "placeholder": {
                "emoji": true,
                "text": "6.20.0",
                "type": "plain_text",
              },
              "type": "plain_text_input",
            },
            "hint": {
              "emoji": true,
              "text": "Needed for an upgrade.",
              "type": "plain_text",
            },
            "label": {
              "emoji": true,
              "text": "Version upgraded from",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "tested",
            "element": {
              "action_id": "value",
              "max_length": 3000,
              "multiline": true,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "What you tested",
              "type": "plain_text",
            },
            "optional": false,
            "type": "input",
          },
          {
            "block_id": "details",
            "element": {
              "action_id": "value",
              "max_length": 3000,
              "multiline": true,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Notes",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
        ],
        "callback_id": "ea_report",
        "close": {
          "emoji": true,
          "text": "Cancel",
          "type": "plain_text",
        },
        "private_metadata": "{"sub":12,"outcome":"works"}",
        "submit": {
          "emoji": true,
          "text": "Send report",
          "type": "plain_text",
        },
        "title": {
          "emoji": true,
          "text": "Installed, works",
          "type": "plain_text",
        },
        "type": "modal",
      }
    `);
  });

  it('when they click Problem found, then they pick a site of the card or Another site, say how they installed and what they tested, what happened and any workaround', () => {
    const view = earlyAdopterModal({
      submissionId: 12,
      outcome: 'problem',
      title: md`ARC 6.21.1 (UMD-5)`,
      platforms: ['el10/x86_64', 'el9/x86_64'],
      sites: ['SITE-A', 'SITE <!here>', 'S'.repeat(74)],
      site: null,
    });

    expect(form(view)).toMatchInlineSnapshot(`
      {
        "blocks": [
          "section: *ARC 6.21.1 (UMD-5)*",
          "input site "Your site": static_select [SITE-A=s:SITE-A, SITE &lt;!here&gt;=s:SITE <!here>, Another site=other]",
          "input otherSite "Another site" (optional): plain_text_input max 100 placeholder "SITE-A" — hint "Only when you chose Another site above."",
          "input platform "Platform": static_select [el10/x86_64, el9/x86_64]",
          "input installKind "New install or upgrade": radio_buttons [New install=new, Upgrade=upgrade]",
          "input upgradedFrom "Version upgraded from" (optional): plain_text_input max 64 placeholder "6.20.0" — hint "Needed for an upgrade."",
          "input tested "What you tested": plain_text_input multiline max 3000",
          "input details "What happened": plain_text_input multiline max 3000",
          "input workaround "Workaround, if any" (optional): plain_text_input multiline max 3000",
        ],
        "callback": "ea_report",
        "metadata": {
          "outcome": "problem",
          "sub": 12,
        },
        "submit": "Send report",
        "title": "Problem found",
      }
    `);
  });

  it('when their last site is on the card, then it is chosen; when it is not, then Another site is chosen with its name filled in', () => {
    const open = (site: string) =>
      earlyAdopterModal({
        submissionId: 12,
        outcome: 'works',
        title: md`ARC 6.21.1 (UMD-5)`,
        platforms: ['el9/x86_64'],
        sites: ['SITE-A', 'SITE-B'],
        site,
      });
    const chosen = (view: ModalView) =>
      (view.blocks as { block_id?: string; element?: Record<string, { value?: string } | string> }[])
        .filter((block) => block.block_id === 'site' || block.block_id === 'otherSite')
        .map((block) =>
          JSON.stringify([
            block.block_id,
            (block.element?.initial_option as { value?: string } | undefined)?.value,
            block.element?.initial_value,
          ]),
        );

    expect(chosen(open('site-b'))).toEqual(['["site","s:SITE-B",null]', '["otherSite",null,null]']);
    expect(chosen(open('SITE-Z'))).toEqual(['["site","other",null]', '["otherSite",null,"SITE-Z"]']);
  });
});

describe('the Ready for release form', () => {
  it('when no early-adopter site reported that it works, then it warns before the staged-rollout report link', () => {
    const view = moveModal({
      target: { subject: { kind: 'ticket', id: 32 }, version: 4 },
      event: 'mark_ready',
      title: md`TKT-32 ARC 6.21.1 · UMD-5 on el9/x86_64`,
      noWorksReportOn: 'el9/x86_64',
    });

    expect(form(view)).toMatchInlineSnapshot(`
      {
        "blocks": [
          "section: *TKT-32 ARC 6.21.1 · UMD-5 on el9/x86_64*",
          "section: :warning: *No early-adopter site has reported "Installed, works" on el9/x86_64.* If you go ahead, the ticket and its history record that it was marked Ready without one.",
          "input reportUrl "Staged-rollout report link" (optional): plain_text_input max 2000 placeholder "https://…"",
        ],
        "callback": "move",
        "metadata": {
          "e": "mark_ready",
          "s": "TKT-32",
          "v": 4,
        },
        "submit": "Ready for release",
        "title": "Ready for release",
      }
    `);
  });
});

describe('the Product ID card form', () => {
  it('when staff create a card, then the name is filled in and every other field is empty', () => {
    expect(productModal(null, 'FTS', PLATFORMS)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "block_id": "name",
            "element": {
              "action_id": "value",
              "initial_value": "FTS",
              "max_length": 80,
              "multiline": false,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Product name",
              "type": "plain_text",
            },
            "optional": false,
            "type": "input",
          },
          {
            "block_id": "team",
            "element": {
              "action_id": "value",
              "max_length": 200,
              "multiline": false,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Product team",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "supportEmail",
            "element": {
              "action_id": "value",
              "max_length": 200,
              "multiline": false,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Support email",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "website",
            "element": {
              "action_id": "value",
              "max_length": 2000,
              "multiline": false,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Website",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "teamLeader",
            "element": {
              "action_id": "value",
              "max_length": 200,
              "multiline": false,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Development team leader",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "description",
            "element": {
              "action_id": "value",
              "max_length": 3000,
              "multiline": true,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Description and purpose",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "repositoryUrl",
            "element": {
              "action_id": "value",
              "max_length": 2000,
              "multiline": false,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Repository URL",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "documentationLinks",
            "element": {
              "action_id": "value",
              "max_length": 3000,
              "multiline": true,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Documentation links, one per line",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "contacts",
            "element": {
              "action_id": "value",
              "type": "multi_users_select",
            },
            "label": {
              "emoji": true,
              "text": "Contacts (may submit, hear about delays)",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "contactChannel",
            "element": {
              "action_id": "value",
              "type": "conversations_select",
            },
            "label": {
              "emoji": true,
              "text": "Contact channel",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "earlyAdopterSites",
            "element": {
              "action_id": "value",
              "max_length": 3000,
              "multiline": true,
              "type": "plain_text_input",
            },
            "label": {
              "emoji": true,
              "text": "Candidate early-adopter sites, one per line",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
          {
            "block_id": "platforms",
            "element": {
              "action_id": "value",
              "options": [
                {
                  "text": {
                    "emoji": true,
                    "text": "el9/x86_64",
                    "type": "plain_text",
                  },
                  "value": "el9/x86_64",
                },
                {
                  "text": {
                    "emoji": true,
                    "text": "el8/x86_64",
                    "type": "plain_text",
                  },
                  "value": "el8/x86_64",
                },
                {
                  "text": {
                    "emoji": true,
                    "text": "el10/x86_64",
                    "type": "plain_text",
                  },
                  "value": "el10/x86_64",
                },
              ],
              "type": "multi_static_select",
            },
            "label": {
              "emoji": true,
              "text": "Default platforms",
              "type": "plain_text",
            },
            "optional": true,
            "type": "input",
          },
        ],
        "callback_id": "product_card",
        "close": {
          "emoji": true,
          "text": "Cancel",
          "type": "plain_text",
        },
        "private_metadata": "{"original":null}",
        "submit": {
          "emoji": true,
          "text": "Save",
          "type": "plain_text",
        },
        "title": {
          "emoji": true,
          "text": "New Product ID card",
          "type": "plain_text",
        },
        "type": "modal",
      }
    `);
  });

  it('when staff edit a card, then every field starts with its value, and a default platform no longer configured is named as left off', () => {
    const card = { ...ARC, platforms: ['el9/x86_64', 'el7/x86_64'] };

    expect(form(productModal(card, card.name, PLATFORMS))).toMatchInlineSnapshot(`
      {
        "blocks": [
          "input name "Product name": plain_text_input max 80 = "ARC"",
          "input team "Product team" (optional): plain_text_input max 200 = "NorduGrid"",
          "input supportEmail "Support email" (optional): plain_text_input max 200 = "arc-support@example.org"",
          "input website "Website" (optional): plain_text_input max 2000 = "https://www.nordugrid.org"",
          "input teamLeader "Development team leader" (optional): plain_text_input max 200 = "Jane Doe"",
          "input description "Description and purpose" (optional): plain_text_input multiline max 3000 = "ARC Compute Element and clients."",
          "input repositoryUrl "Repository URL" (optional): plain_text_input max 2000 = "https://github.com/nordugrid/arc"",
          "input documentationLinks "Documentation links, one per line" (optional): plain_text_input multiline max 3000 = "https://www.nordugrid.org/documents/"",
          "input contacts "Contacts (may submit, hear about delays)" (optional): multi_users_select = U0CONTACT1, U0CONTACT2",
          "input contactChannel "Contact channel" (optional): conversations_select = C0456EFGH",
          "input earlyAdopterSites "Candidate early-adopter sites, one per line" (optional): plain_text_input multiline max 3000 = "SITE-A
      SITE-B"",
          "input platforms "Default platforms" (optional): multi_static_select [*el9/x86_64, el8/x86_64, el10/x86_64]",
          "context: el7/x86_64 is not configured any more, so saving leaves it off the default platforms.",
        ],
        "callback": "product_card",
        "metadata": {
          "original": "ARC",
        },
        "submit": "Save",
        "title": "Edit Product ID card",
      }
    `);
  });

  it('when a card has fields no input can hold whole, then each is a note to use the CLI and is kept as it is on save', () => {
    const card = productCard({
      team: 'NorduGrid\nand friends',
      repositoryUrl: `https://git.example.org/${'r'.repeat(2100)}`,
      earlyAdopterSites: Array.from({ length: 40 }, (_, i) => `SITE-${i}.${'grid'.repeat(20)}.example.org`),
      documentationLinks: ['https://docs.example.org/a'],
    });

    expect(form(productModal(card, card.name, PLATFORMS))).toMatchInlineSnapshot(`
      {
        "blocks": [
          "input name "Product name": plain_text_input max 80 = "ARC"",
          "context: *Product team:* It has a line break, which this one-line field cannot hold. Kept as it is; change it with \`cmd-bot products import\`.",
          "input supportEmail "Support email" (optional): plain_text_input max 200 = "arc-support@example.org"",
          "input website "Website" (optional): plain_text_input max 2000 = "https://www.nordugrid.org"",
          "input teamLeader "Development team leader" (optional): plain_text_input max 200 = "Jane Doe"",
          "input description "Description and purpose" (optional): plain_text_input multiline max 3000 = "ARC Compute Element and clients."",
          "context: *Repository URL:* 2,124 characters, more than this form holds (2,000). Kept as it is; change it with \`cmd-bot products import\`.",
          "input documentationLinks "Documentation links, one per line" (optional): plain_text_input multiline max 3000 = "https://docs.example.org/a"",
          "input contacts "Contacts (may submit, hear about delays)" (optional): multi_users_select = U0CONTACT1, U0CONTACT2",
          "input contactChannel "Contact channel" (optional): conversations_select = C0456EFGH",
          "context: *Candidate early-adopter sites:* 40 entries, 4,029 characters, more than this form holds (3,000). Kept as they are; change them with \`cmd-bot products import\`.",
          "input platforms "Default platforms" (optional): multi_static_select [*el9/x86_64, *el8/x86_64, el10/x86_64]",
        ],
        "callback": "product_card",
        "metadata": {
          "keep": [
            "team",
            "repositoryUrl",
            "earlyAdopterSites",
          ],
          "original": "ARC",
        },
        "submit": "Save",
        "title": "Edit Product ID card",
      }
    `);
  });
});

describe('a message in a modal', () => {
  it('when a view only says something, then it has the message and a Close button', () => {
    expect(
      messageView('Not allowed', md`Only UMD staff may edit *${HOSTILE_NAME}*. Ask in the UMD channel.`),
    ).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "Only UMD staff may edit *Bits &amp; &lt;!channel&gt; Pieces*. Ask in the UMD channel.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "close": {
          "emoji": true,
          "text": "Close",
          "type": "plain_text",
        },
        "title": {
          "emoji": true,
          "text": "Not allowed",
          "type": "plain_text",
        },
        "type": "modal",
      }
    `);
  });
});
