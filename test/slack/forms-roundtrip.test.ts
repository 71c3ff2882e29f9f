/**
 * Forms never truncate stored data into what they save back (issue 13, section 7), end to end: signed requests
 * into the real app, each form opened by the click a person makes, and sent back as Slack would send it when
 * nobody changed it. What the database holds afterwards is compared with what it held before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findSubmission } from '../../src/db/repositories/submissions.js';
import { listTicketsOfSubmission } from '../../src/db/repositories/tickets.js';
import type { ProductCard } from '../../src/domain/product.js';
import { type Caller, registerProduct } from '../../src/services/index.js';
import { moveModal } from '../../src/slack/blocks/modals.js';
import { CONTACT_ID, field, STAFF_ID, startTestBot, type TestBot } from '../support/bot.js';
import { inputProblems, type OpenedModal, optionsOf, shownIn, stateFromModal } from '../support/views.js';

const STAFF: Caller = { userId: STAFF_ID, staff: true };

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

/** A name of `length` characters that starts with `start`, as people write them: single spaces, none at the ends. */
const longName = (start: string, length: number) =>
  `${`${start} ${'middleware '.repeat(10)}`.slice(0, length - 1)}Z`;

// ---- driving the app -------------------------------------------------------------------------------------

const lastView = (): OpenedModal => {
  const view = t.slack.callsTo('views.open').at(-1)?.args.view;
  if (!view) throw new Error('no view was opened');
  return view as OpenedModal;
};

// ===========================================================================================================

describe('the submit form’s products', () => {
  const longCards = [
    { name: longName('Alpha', 79), contacts: [CONTACT_ID], platforms: ['el9/x86_64'] },
    { name: longName('Bravo', 80), contacts: [CONTACT_ID], platforms: ['el9/x86_64'] },
  ];

  it.each([79, 80])(
    'when a contact submits by form a release of a product with a %i-character name, then it is stored for that product',
    async (length) => {
      await start();
      const cards = longCards.map((card) => registerProduct(t.bot.ctx, card, STAFF));
      const card = cards.find((c) => c.name.length === length) as ProductCard;
      await t.command(CONTACT_ID, '/cmd-submit');
      const view = lastView();
      // The option the contact sees for it: its name, cut to what an option shows.
      const picked = optionsOf(view, 'product').find((option) =>
        card.name.startsWith(option.text.text.slice(0, 40)),
      );

      const response = await t.submitView(CONTACT_ID, 'submit_release', view.private_metadata ?? '', {
        ...stateFromModal(view),
        product: field.select(picked?.value ?? ''),
        version: field.text('1.0.0'),
        releaseNotes: field.text('https://example.org/notes'),
        packages: field.text('pkg-a'),
      });

      expect(inputProblems(view)).toEqual([]);
      expect(JSON.stringify(response.json)).toContain('*SUB-1*');
      expect(findSubmission(t.bot.ctx.db, 1)).toMatchObject({ productId: card.id, version: '1.0.0' });
    },
  );

  it('when the form names a product that is not on record (an old or forged form), then the product field says so and nothing is stored', async () => {
    await start();

    const response = await t.submitView(CONTACT_ID, 'submit_release', '{}', {
      product: field.select('999'),
      version: field.text('1.0.0'),
      releaseNotes: field.text('https://example.org/notes'),
      packages: field.text('pkg-a'),
      distribution: field.select('UMD-5'),
    });

    expect(response.json).toMatchObject({
      response_action: 'errors',
      errors: { product: expect.stringContaining('/cmd-submit again') },
    });
    expect(findSubmission(t.bot.ctx.db, 1)).toBeNull();
  });
});

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
