import { z } from 'zod';
import { recordEarlyAdopterReport } from '../../../services/index.js';
import { messageView } from '../../blocks/modals.js';
import { callerFor, type SlackDeps } from '../../deps.js';
import { Form, type ViewState } from '../../forms.js';
import { CALLBACK_IDS } from '../../moves.js';
import { readMetadata } from '../../payloads.js';
import type { Listeners } from '../../router.js';
import { modalAnswer } from './errors.js';

const metadataSchema = z.object({ sub: z.number().int(), outcome: z.enum(['works', 'problem']) });

export function registerEarlyAdopterView(app: Listeners, deps: SlackDeps): void {
  app.view(CALLBACK_IDS.earlyAdopterReport, async ({ ack, body, view }) => {
    const metadata = readMetadata(view.private_metadata, metadataSchema);
    if (!metadata) {
      await ack({
        response_action: 'update',
        view: messageView(
          'Not sent',
          'This form is from an older version of cmd-bot. Click the button again.',
        ),
      });
      return;
    }
    const form = new Form(view.state.values as ViewState);
    try {
      recordEarlyAdopterReport(
        deps.ctx,
        {
          submissionId: metadata.sub,
          outcome: metadata.outcome,
          site: form.text('site') ?? '',
          platform: form.selected('platform') ?? '',
          details: form.text('details') ?? null,
        },
        callerFor(deps, body.user.id),
      );
      await ack({
        response_action: 'update',
        view: messageView('Thank you', 'Your report is on the UMD team’s card for this release.'),
      });
      deps.outbox.wake();
    } catch (error) {
      await ack(modalAnswer(deps, error, { fields: ['site', 'platform', 'details'], title: 'Not sent' }));
    }
  });
}
