/**
 * Forms never truncate stored data into what they save back (issue 13, section 7), end to end: signed requests
 * into the real app, each form opened by the click a person makes, and sent back as Slack would send it when
 * nobody changed it. What the database holds afterwards is compared with what it held before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findSubmission } from '../../src/db/repositories/submissions.js';
import { listTicketsOfSubmission } from '../../src/db/repositories/tickets.js';
import { moveModal } from '../../src/slack/blocks/modals.js';
import { CONTACT_ID, STAFF_ID, startTestBot, type TestBot } from '../support/bot.js';
import { inputProblems, type OpenedModal, shownIn, stateFromModal } from '../support/views.js';

let t: TestBot;
let running: TestBot | undefined;
const start = async (options?: Parameters<typeof startTestBot>[0]) => {
  running = await startTestBot(options);
  t = running;
};
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

// ---- driving the app -------------------------------------------------------------------------------------

const lastView = (): OpenedModal => {
  const view = t.slack.callsTo('views.open').at(-1)?.args.view;
  if (!view) throw new Error('no view was opened');
  return view as OpenedModal;
};

// ===========================================================================================================

describe('the Inject form’s platforms', () => {
  const FOURTEEN = [
    'el9/x86_64',
    'el8/x86_64',
    'el9/aarch64',
    'el8/aarch64',
    'el9/ppc64le',
    'el10/x86_64',
    'el10/aarch64',
    'ubuntu22/amd64',
    'ubuntu24/amd64',
    'ubuntu22/arm64',
    'ubuntu24/arm64',
    'debian12/amd64',
    'debian13/amd64',
    'sles15/x86_64',
  ];

  it('when 14 platforms are configured and a submission is for all 14, then Inject by form offers all 14 ticked and creates 14 tickets', async () => {
    await start({ env: { PLATFORMS: FOURTEEN.join(',') } });
    await t.command(
      CONTACT_ID,
      '/cmd-submit',
      `ARC 7.0.0 https://x.org/n pkg platforms=${FOURTEEN.join(',')}`,
    );
    expect(findSubmission(t.bot.ctx.db, 1)?.platforms).toEqual(FOURTEEN);

    await t.click(STAFF_ID, 'move:inject', JSON.stringify({ s: 'SUB-1', v: 1 }));
    const view = lastView();
    const response = await t.submitView(STAFF_ID, 'move', view.private_metadata ?? '', stateFromModal(view));

    expect(inputProblems(view)).toEqual([]);
    expect(response.json).toBeNull();
    expect(findSubmission(t.bot.ctx.db, 1)?.state.status).toBe('solved');
    expect(listTicketsOfSubmission(t.bot.ctx.db, 1).map((ticket) => ticket.platform)).toEqual(FOURTEEN);
  });

  it('when a submission has more platforms than a Slack form can list, then the Inject form says so instead of offering some', () => {
    const platforms = Array.from({ length: 101 }, (_, i) => `os${i}/x86_64`);

    const view = moveModal({
      target: { subject: { kind: 'submission', id: 1 }, version: 1 },
      event: 'inject',
      title: 'SUB-1 ARC 7.0.0',
      platforms,
    }) as OpenedModal;

    expect(view.submit).toBeUndefined();
    expect(view.blocks.some((block) => block.type === 'input')).toBe(false);
    expect(shownIn(view)).toContain('101 platforms');
  });
});
