import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/db/repositories/outbox.js';
import { findProductByName } from '../../src/db/repositories/products.js';
import { findSubmission } from '../../src/db/repositories/submissions.js';
import { CONTACT_ID, field, STRANGER_ID, startTestBot, type TestBot, UMD_CHANNEL } from '../support/bot.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

/** The value of ARC's option in the submit form: its card's id. */
const arcId = () => String(findProductByName(t.bot.ctx.db, 'ARC')?.id);

describe('/cmd-submit in one line', () => {
  it('when a contact submits in one line, then the ack carries SUB-1, the database holds it, and the UMD channel gets a card', async () => {
    const response = await t.command(
      CONTACT_ID,
      '/cmd-submit',
      'ARC 6.21.1 <https://www.nordugrid.org/arc/6.21.1|notes> nordugrid-arc nordugrid-arc-client platforms=el9/x86_64 security',
    );

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ response_type: 'ephemeral' });
    expect((response.json as { text: string }).text).toContain('as *SUB-1*');
    expect(findSubmission(t.bot.ctx.db, 1)).toMatchObject({
      version: '6.21.1',
      security: true,
      platforms: ['el9/x86_64'],
    });

    await t.drain();
    const [card] = t.slack.callsTo('chat.postMessage');
    expect(card?.args.channel).toBe(UMD_CHANNEL);
    expect(String(card?.args.text)).toContain('[SECURITY] SUB-1 ARC 6.21.1 (UMD-5): Open');
    expect(JSON.stringify(card?.args.blocks)).toContain('move:inject');
  });

  it('when someone not on the card submits, then they are told who can, and nothing is stored', async () => {
    const response = await t.command(STRANGER_ID, '/cmd-submit', 'ARC 6.21.1 https://x.org/n pkg');
    expect((response.json as { text: string }).text).toContain(
      "Only ARC's contacts (<@UCONTACT1>) or the UMD team can submit",
    );
    expect(findSubmission(t.bot.ctx.db, 1)).toBeNull();
  });

  it('when the one-line form misses pieces, then the usage is shown', async () => {
    const response = await t.command(CONTACT_ID, '/cmd-submit', 'ARC 6.21.1');
    expect((response.json as { text: string }).text).toContain(
      'Give the release-notes link, at least one package.',
    );
  });
});

describe('/cmd-submit with a form', () => {
  it('when a contact types /cmd-submit alone, then a modal opens listing their products', async () => {
    await t.command(CONTACT_ID, '/cmd-submit');
    const [open] = await t.slack.waitFor((calls) => calls.some((c) => c.method === 'views.open'));
    const view = t.slack.callsTo('views.open')[0]?.args.view as { callback_id: string; blocks: unknown[] };
    expect(open).toBeDefined();
    expect(view.callback_id).toBe('submit_release');
    // Shown by name, sent back as the card's id.
    expect(view.blocks).toContainEqual(
      expect.objectContaining({
        block_id: 'product',
        element: expect.objectContaining({
          options: [{ text: expect.objectContaining({ text: 'ARC' }), value: arcId() }],
        }),
      }),
    );
  });

  it('when the form has mistakes, then each comes back beside its field and nothing is stored', async () => {
    const response = await t.submitView(CONTACT_ID, 'submit_release', '{}', {
      product: field.select(arcId()),
      version: field.text('6 21'),
      releaseNotes: field.text('notes'),
      packages: field.text(''),
      distribution: field.select('UMD-5'),
    });
    expect(response.json).toMatchObject({
      response_action: 'errors',
      errors: {
        version: 'The version must not contain spaces, such as 1.2.3-rc1.',
        releaseNotes: expect.stringContaining('must start with http:// or https://'),
        packages: 'List at least one package.',
      },
    });
    expect(findSubmission(t.bot.ctx.db, 1)).toBeNull();
  });

  it('when the form is right, then the modal says SUB-1 and the outbox holds the card', async () => {
    const response = await t.submitView(CONTACT_ID, 'submit_release', '{}', {
      product: field.select(arcId()),
      version: field.text('7.0.0'),
      releaseNotes: field.text('https://www.nordugrid.org/arc/7.0.0'),
      packages: field.text('nordugrid-arc\nnordugrid-arc-client'),
      distribution: field.select('UMD-5'),
      platforms: field.multi([]),
    });
    expect(response.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(response.json)).toContain('*SUB-1*');
    expect(listOutbox(t.bot.ctx.db).map((row) => row.recipientKind)).toContain('card');
  });
});
