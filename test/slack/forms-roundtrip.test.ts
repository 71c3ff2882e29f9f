/**
 * Forms never truncate stored data into what they save back (issue 13, section 7), end to end: signed requests
 * into the real app, each form opened by the click a person makes, and sent back as Slack would send it when
 * nobody changed it. What the database holds afterwards is compared with what it held before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findProductById, updateProduct as storeProduct } from '../../src/db/repositories/products.js';
import { findSubmission } from '../../src/db/repositories/submissions.js';
import { listTicketsOfSubmission } from '../../src/db/repositories/tickets.js';
import type { ProductCard } from '../../src/domain/product.js';
import { type Caller, registerProduct } from '../../src/services/index.js';
import { moveModal } from '../../src/slack/blocks/modals.js';
import { buttonValue } from '../support/blocks.js';
import { CONTACT_ID, field, STAFF_ID, startTestBot, type TestBot } from '../support/bot.js';
import {
  inputProblems,
  type OpenedModal,
  optionsOf,
  shownIn,
  stateFromModal,
  type ViewValues,
} from '../support/views.js';

const STAFF: Caller = { userId: STAFF_ID, staff: true };
const CONFIGURED = ['el9/x86_64', 'el8/x86_64', 'ubuntu22/amd64'];
const IMPORT_HINT = '`cmd-bot products import`';

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

// ---- building cards at the limits -------------------------------------------------------------------------

/** Entries of at most `width` characters that, one per line, make exactly `total` characters. */
function linesOfLength(total: number, width: number, make: (i: number, width: number) => string): string[] {
  const items: string[] = [];
  let length = -1; // no line break before the first entry
  while (length < total) {
    const next = Math.min(width, total - length - 1);
    items.push(make(items.length, next));
    length += next + 1;
  }
  return items;
}
const site = (i: number, width: number) => `SITE-${i}-`.padEnd(width, 'x');
const docLink = (i: number, width: number) => `https://docs.example.org/${i}/`.padEnd(width, 'p');
const longLink = (length: number) =>
  `https://example.org/${'w'.repeat(length - 'https://example.org/'.length)}`;

/** A name of `length` characters that starts with `start`, as people write them: single spaces, none at the ends. */
const longName = (start: string, length: number) =>
  `${`${start} ${'middleware '.repeat(10)}`.slice(0, length - 1)}Z`;

/** Every field as long as the Edit form's inputs hold: 80, 200, 2000, 3000 characters. */
const cardAtTheLimits = {
  name: longName('Limits', 80),
  team: 't'.repeat(200),
  supportEmail: `${'s'.repeat(127)}@${'m'.repeat(60)}.example.org`,
  website: longLink(2000),
  teamLeader: 'l'.repeat(200),
  description: `${'Purpose.\n'.repeat(334).slice(0, 2999)}z`,
  repositoryUrl: longLink(2000),
  documentationLinks: linesOfLength(3000, 120, docLink),
  contacts: [CONTACT_ID, 'U0SECOND1'],
  contactChannel: 'C0ARCTEAM',
  earlyAdopterSites: linesOfLength(3000, 100, site),
  platforms: CONFIGURED,
};

/** Stored values no input of the form can hold whole: each must be kept as it is, never cut. */
const cardBeyondTheForm = {
  name: 'Beyond',
  team: 'Grid team',
  supportEmail: `${'s'.repeat(150)}@${'m'.repeat(60)}.example.org`,
  website: longLink(2500),
  description: 'A product whose lists outgrew the form.',
  documentationLinks: linesOfLength(3500, 120, docLink),
  contacts: [CONTACT_ID],
  // The issue's card: 40 early-adopter sites, 3,641 characters one per line.
  earlyAdopterSites: linesOfLength(3641, 91, site),
  platforms: ['el9/x86_64'],
};

/** A site imported with a line break in it: one per line, it would come back as two sites. */
const cardWithALineBreak = {
  name: 'Broken lines',
  earlyAdopterSites: ['SITE-A', 'SITE-B\nbuilding 2'],
};

// ---- driving the app -------------------------------------------------------------------------------------

const lastView = (): OpenedModal => {
  const view = t.slack.callsTo('views.open').at(-1)?.args.view;
  if (!view) throw new Error('no view was opened');
  return view as OpenedModal;
};

/** `/cmd-product NAME`, then Edit on the card it shows: the form as staff get it. */
async function openEdit(name: string): Promise<OpenedModal> {
  const reply = (await t.command(STAFF_ID, '/cmd-product', name)).json as { blocks?: unknown };
  const before = t.slack.callsTo('views.open').length;
  await t.click(STAFF_ID, 'product:edit', buttonValue(reply.blocks, 'product:edit'));
  expect(t.slack.callsTo('views.open')).toHaveLength(before + 1);
  return lastView();
}

async function save(view: OpenedModal, values: ViewValues) {
  return t.submitView(STAFF_ID, view.callback_id ?? '', view.private_metadata ?? '', values);
}

const stored = (card: ProductCard) => findProductById(t.bot.ctx.db, card.id);

// ===========================================================================================================

describe('Edit on a Product ID card, saved unchanged', () => {
  it.each([
    ['every field as long as its input holds', cardAtTheLimits],
    ['lists and links longer than any input holds (40 sites, 3,641 characters)', cardBeyondTheForm],
    [
      '40 early-adopter sites in 3,641 characters (the issue’s card)',
      { name: 'Forty sites', earlyAdopterSites: cardBeyondTheForm.earlyAdopterSites },
    ],
    [
      'documentation links in 3,500 characters',
      { name: 'Many docs', documentationLinks: cardBeyondTheForm.documentationLinks },
    ],
    ['a site with a line break in it', cardWithALineBreak],
  ])(
    'when staff open Edit on a card with %s and save it unchanged, then the stored card is identical',
    async (_, input) => {
      await start();
      const before = registerProduct(t.bot.ctx, input, STAFF);

      const view = await openEdit(before.name);
      const response = await save(view, stateFromModal(view));

      expect(inputProblems(view)).toEqual([]);
      expect(response.json).toMatchObject({ response_action: 'update' });
      expect(stored(before)).toEqual(before);
    },
  );

  it('when a card’s sites and links are longer than the form holds, then the form says they are kept and to change them with the CLI import', async () => {
    await start();
    const card = registerProduct(t.bot.ctx, cardBeyondTheForm, STAFF);

    const view = await openEdit(card.name);

    const inputs = view.blocks.map((block) => block.block_id).filter((id) => id !== undefined);
    expect(inputs).not.toContain('earlyAdopterSites');
    expect(inputs).not.toContain('documentationLinks');
    expect(inputs).not.toContain('website');
    expect(inputs).not.toContain('supportEmail');
    expect(inputs).toContain('team');
    const notes = view.blocks
      .filter((block) => block.type === 'context')
      .map((block) => JSON.stringify(block));
    const note = (label: string) => notes.find((text) => text.includes(label)) ?? '';
    expect(note('Candidate early-adopter sites')).toContain('40 entries, 3,641 characters');
    expect(note('Candidate early-adopter sites')).toContain(IMPORT_HINT);
    expect(note('Documentation links')).toContain('3,500 characters');
    expect(note('Website')).toContain('2,500 characters');
    expect(note('Support email')).toContain(IMPORT_HINT);
  });

  it('when staff change the team of a card whose sites the form cannot hold, then the team is saved and the 40 sites are kept', async () => {
    await start();
    const card = registerProduct(t.bot.ctx, cardBeyondTheForm, STAFF);
    const view = await openEdit(card.name);

    const response = await save(view, { ...stateFromModal(view), team: field.text('Grid team 2') });

    expect(response.json).toMatchObject({ response_action: 'update' });
    expect(stored(card)).toEqual({ ...card, team: 'Grid team 2' });
  });

  it('when a card lists a platform that is no longer configured, then the form says it is left off when saved, and the rest is kept', async () => {
    await start();
    const card = registerProduct(
      t.bot.ctx,
      { name: 'Old platforms', platforms: ['el9/x86_64'], earlyAdopterSites: ['SITE-A'] },
      STAFF,
    );
    // Configured when the card was made, dropped from PLATFORMS since.
    const { id: _, ...fields } = card;
    storeProduct(
      t.bot.ctx.db,
      card.id,
      { ...fields, platforms: ['el9/x86_64', 'el7/x86_64'] },
      t.clock.now(),
    );

    const view = await openEdit(card.name);
    await save(view, stateFromModal(view));

    expect(shownIn(view)).toContain('el7/x86_64 is not configured any more, so saving leaves it off');
    expect(stored(card)).toEqual({ ...card, platforms: ['el9/x86_64'] });
  });
});

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
