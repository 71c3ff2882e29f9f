import { z } from 'zod';
import { PRODUCT_FIELDS } from '../../../domain/product.js';
import { registerProduct, updateProduct } from '../../../services/index.js';
import { md } from '../../blocks/kit.js';
import { KEPT_CARD_FIELDS, messageView } from '../../blocks/modals.js';
import { callerFor, type SlackDeps } from '../../deps.js';
import { Form, type ViewState } from '../../forms.js';
import { CALLBACK_IDS } from '../../moves.js';
import { readMetadata } from '../../payloads.js';
import type { Listeners } from '../../router.js';
import { modalAnswer } from './errors.js';

const FIELDS = PRODUCT_FIELDS;
const metadataSchema = z.object({
  original: z.string().nullable(),
  // Fields the form could not show whole (see productModal): left out of the save, so they keep their value.
  keep: z.array(z.enum(KEPT_CARD_FIELDS)).optional(),
});

export function registerProductView(app: Listeners, deps: SlackDeps): void {
  app.view(CALLBACK_IDS.product, async ({ ack, body, view }) => {
    const metadata = readMetadata(view.private_metadata, metadataSchema);
    if (!metadata) {
      // Saving it as a new card could clash with, or duplicate, the card the form was opened for.
      await ack({
        response_action: 'update',
        view: messageView('Not saved', 'This form is from an older version of cmd-bot. Open the card again.'),
      });
      return;
    }
    const form = new Form(view.state.values as ViewState);
    const typed = {
      name: form.text('name') ?? '',
      team: form.text('team') ?? null,
      supportEmail: form.text('supportEmail') ?? null,
      website: form.text('website') ?? null,
      teamLeader: form.text('teamLeader') ?? null,
      description: form.text('description') ?? null,
      repositoryUrl: form.text('repositoryUrl') ?? null,
      documentationLinks: form.lines('documentationLinks'),
      contacts: form.users('contacts'),
      contactChannel: form.conversation('contactChannel') ?? null,
      earlyAdopterSites: form.lines('earlyAdopterSites'),
      platforms: form.selectedMany('platforms'),
    };
    const kept = new Set<string>(metadata.keep);
    const card = Object.fromEntries(Object.entries(typed).filter(([field]) => !kept.has(field)));
    const caller = callerFor(deps, body.user.id);
    try {
      const original = metadata.original;
      const saved = original
        ? updateProduct(deps.ctx, original, card, caller)
        : registerProduct(deps.ctx, card, caller);
      await ack({
        response_action: 'update',
        view: messageView('Saved', md`The Product ID card *${saved.name}* is saved.`),
      });
    } catch (error) {
      await ack(modalAnswer(deps, error, { fields: FIELDS, title: 'Not saved', conflictField: 'name' }));
    }
  });
}
