import { z } from 'zod';
import { saveReleaseNotes } from '../../../services/index.js';
import { md } from '../../blocks/kit.js';
import { messageView } from '../../blocks/modals.js';
import { callerFor, type SlackDeps } from '../../deps.js';
import { Form, type ViewState } from '../../forms.js';
import { CALLBACK_IDS } from '../../moves.js';
import { readMetadata } from '../../payloads.js';
import type { Listeners } from '../../router.js';
import { modalAnswer } from './errors.js';

const FIELDS = ['description', 'installationNotes', 'knownIssues'];
const metadataSchema = z.object({ release: z.string().max(80) });

/** The release notes' form: saved before the ack; problems go back beside their fields. */
export function registerReleaseNotesView(app: Listeners, deps: SlackDeps): void {
  app.view(CALLBACK_IDS.releaseNotes, async ({ ack, body, view }) => {
    const metadata = readMetadata(view.private_metadata, metadataSchema);
    if (!metadata) {
      await ack({
        response_action: 'update',
        view: messageView(
          'Not saved',
          md`This form is from an older cmd-bot. Open it again from the release.`,
        ),
      });
      return;
    }
    const form = new Form(view.state.values as ViewState);
    try {
      saveReleaseNotes(
        deps.ctx,
        metadata.release,
        {
          description: form.text('description') ?? '',
          installationNotes: form.text('installationNotes') ?? '',
          knownIssues: form.text('knownIssues') ?? '',
        },
        callerFor(deps, body.user.id),
      );
      await ack({
        response_action: 'update',
        view: messageView(
          'Saved',
          md`The notes of ${metadata.release} are saved; \`cmd-bot release export ${metadata.release} --format md\` shows them.`,
        ),
      });
    } catch (error) {
      await ack(modalAnswer(deps, error, { fields: FIELDS, title: 'Not saved' }));
    }
  });
}
