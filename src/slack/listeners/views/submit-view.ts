import { formatSubmissionId } from '../../../domain/ids.js';
import { ConflictError, InvalidInputError, RefusedError, submit } from '../../../services/index.js';
import { messageView } from '../../blocks/modals.js';
import { callerFor, type SlackDeps, userMessage } from '../../deps.js';
import { Form, submissionFromModal, type ViewState } from '../../forms.js';
import { CALLBACK_IDS } from '../../moves.js';
import type { Listeners } from '../../router.js';
import { fieldErrors } from './errors.js';

const FIELDS = [
  'product',
  'version',
  'releaseNotes',
  'packages',
  'distribution',
  'platforms',
  'security',
  'comment',
];

/** The submit form: checked and committed before the ack; problems go back beside their fields. */
export function registerSubmitView(app: Listeners, deps: SlackDeps): void {
  app.view(CALLBACK_IDS.submit, async ({ ack, body, view }) => {
    const raw = submissionFromModal(new Form(view.state.values as ViewState));
    try {
      const { submission, product } = submit(deps.ctx, raw, callerFor(deps, body.user.id));
      const id = formatSubmissionId(submission.id);
      await ack({
        response_action: 'update',
        view: messageView(
          'Submitted',
          `*${product.name} ${submission.version}* is submitted as *${id}* for ${submission.platforms.join(', ')}.\n` +
            `The UMD team will inject it within 5 working days. Follow it with \`/cmd-status ${id}\`.`,
        ),
      });
      deps.outbox.wake();
    } catch (error) {
      if (error instanceof InvalidInputError) {
        await ack({ response_action: 'errors', errors: fieldErrors(error.problems, FIELDS, 'product') });
      } else if (error instanceof ConflictError) {
        await ack({ response_action: 'errors', errors: { version: error.message } });
      } else if (error instanceof RefusedError) {
        await ack({ response_action: 'errors', errors: { product: error.message } });
      } else {
        await ack({
          response_action: 'update',
          view: messageView('Not submitted', userMessage(deps, error, 'submit view')),
        });
      }
    }
  });
}
