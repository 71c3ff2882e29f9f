import { formatSubmissionId } from '../../../domain/ids.js';
import { submit } from '../../../services/index.js';
import { md } from '../../blocks/kit.js';
import { messageView } from '../../blocks/modals.js';
import { callerFor, type SlackDeps } from '../../deps.js';
import { Form, submissionFromModal, type ViewState } from '../../forms.js';
import { CALLBACK_IDS } from '../../moves.js';
import type { Listeners } from '../../router.js';
import { modalAnswer } from './errors.js';

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
      const days = deps.ctx.rules.injectionWorkingDays;
      await ack({
        response_action: 'update',
        view: messageView(
          'Submitted',
          md`*${product.name} ${submission.version}* is submitted as *${id}* for ${submission.platforms.join(', ')}.
The UMD team will inject it within ${days} working day${days === 1 ? '' : 's'}. Follow it with \`/cmd-status ${id}\`.`,
        ),
      });
      deps.outbox.wake();
    } catch (error) {
      await ack(
        modalAnswer(deps, error, {
          fields: FIELDS,
          title: 'Not submitted',
          refusedField: 'product',
          conflictField: 'version',
        }),
      );
    }
  });
}
