import { z } from 'zod';
import type { InstallKind } from '../../../domain/early-adopter-reports.js';
import { InvalidInputError, recordEarlyAdopterReport } from '../../../services/index.js';
import { ANOTHER_SITE, messageView, siteFromChoice } from '../../blocks/modals.js';
import { callerFor, type SlackDeps } from '../../deps.js';
import { Form, type ViewState } from '../../forms.js';
import { CALLBACK_IDS } from '../../moves.js';
import { readMetadata } from '../../payloads.js';
import type { Listeners } from '../../router.js';
import { modalAnswer } from './errors.js';

const metadataSchema = z.object({ sub: z.number().int(), outcome: z.enum(['works', 'problem']) });

/** The input blocks of the report's form (see earlyAdopterModal), named as the use case names its fields. */
const REPORT_FIELDS = [
  'site',
  'otherSite',
  'platform',
  'installKind',
  'upgradedFrom',
  'tested',
  'details',
  'workaround',
];

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
    // The site is a pick from the card's sites (or Another site, typed below it), or typed when the card has none.
    const choice = siteFromChoice(form.selected('site'));
    const typedSite = choice === ANOTHER_SITE;
    try {
      recordEarlyAdopterReport(
        deps.ctx,
        {
          submissionId: metadata.sub,
          outcome: metadata.outcome,
          site: (typedSite ? form.text('otherSite') : (choice ?? form.text('site'))) ?? '',
          platform: form.selected('platform') ?? '',
          installKind: (form.selected('installKind') ?? '') as InstallKind,
          upgradedFrom: form.text('upgradedFrom') ?? null,
          tested: form.text('tested') ?? '',
          details: form.text('details') ?? null,
          workaround: form.text('workaround') ?? null,
        },
        callerFor(deps, body.user.id),
      );
      await ack({
        response_action: 'update',
        view: messageView('Thank you', 'Your report is on the UMD team’s card for this release.'),
      });
      deps.outbox.wake();
    } catch (error) {
      // A site typed under Another site is told about beside that input.
      const answered =
        typedSite && error instanceof InvalidInputError
          ? new InvalidInputError(
              error.problems.map((problem) =>
                problem.field === 'site' ? { ...problem, field: 'otherSite' } : problem,
              ),
            )
          : error;
      await ack(modalAnswer(deps, answered, { fields: REPORT_FIELDS, title: 'Not sent' }));
    }
  });
}
