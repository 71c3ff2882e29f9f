import { formatSubmissionId } from '../../../domain/ids.js';
import { type SubmitResult, submit, submitDescriptor } from '../../../services/index.js';
import { descriptorSubmittedText } from '../../blocks/descriptor.js';
import { md } from '../../blocks/kit.js';
import { messageView } from '../../blocks/modals.js';
import { callerFor, type SlackDeps } from '../../deps.js';
import { fetchDescriptorFile } from '../../descriptor-file.js';
import { Form, submissionFromModal, type ViewState } from '../../forms.js';
import { CALLBACK_IDS } from '../../moves.js';
import type { Listeners } from '../../router.js';
import { modalAnswer } from './errors.js';

const FIELDS = [
  'descriptor',
  'product',
  'version',
  'releaseNotes',
  'packages',
  'distribution',
  'platforms',
  'security',
  'comment',
];

/** What the descriptor gives; typed as well, the form would hold two versions of one release. */
const DESCRIBED_FIELDS = {
  version: 'Version',
  releaseNotes: 'Release notes link',
  packages: 'Packages',
} as const;

/**
 * Slack waits 3 seconds for the form's answer: the uploaded descriptor must be fetched well within that, or the
 * person is asked to submit again (nothing is stored).
 */
const DESCRIPTOR_FETCH_MS = 2_000;

/** The submit form: checked and committed before the ack; problems go back beside their fields. */
export function registerSubmitView(app: Listeners, deps: SlackDeps): void {
  app.view(CALLBACK_IDS.submit, async ({ ack, body, view, client }) => {
    const form = new Form(view.state.values as ViewState);
    const caller = callerFor(deps, body.user.id);
    const fileId = form.fileIds('descriptor')[0];
    try {
      let result: SubmitResult & { readonly warnings?: readonly string[] };
      if (fileId === undefined) {
        result = submit(deps.ctx, submissionFromModal(form), caller);
      } else {
        const typed = Object.entries(DESCRIBED_FIELDS).filter(
          ([field]) => (form.text(field) ?? '').trim() !== '',
        );
        if (typed.length > 0) {
          const names = typed.map(([, label]) => label).join(', ');
          await ack({
            response_action: 'errors',
            errors: {
              descriptor: `The descriptor gives the version, release notes and packages: empty ${names}, or remove the file.`,
            },
          });
          return;
        }
        const fetched = await fetchDescriptorFile(client, fileId, { timeoutMs: DESCRIPTOR_FETCH_MS });
        if (!fetched.ok) {
          await ack({ response_action: 'errors', errors: { descriptor: fetched.message } });
          return;
        }
        const productId = form.selected('product');
        const comment = form.text('comment');
        result = submitDescriptor(
          deps.ctx,
          {
            json: fetched.json,
            fileName: fetched.name,
            security: form.selectedMany('security').includes('security'),
            ...(comment ? { comment } : {}),
            ...(productId ? { productId } : {}),
          },
          caller,
        );
      }
      const id = formatSubmissionId(result.submission.id);
      const days = deps.ctx.rules.injectionWorkingDays;
      await ack({
        response_action: 'update',
        view: messageView(
          'Submitted',
          descriptorSubmittedText(
            result,
            md`\nThe UMD team will inject it within ${days} working day${days === 1 ? '' : 's'}. Follow it with \`/cmd-status ${id}\`.`,
            result.warnings ?? [],
          ),
        ),
      });
      deps.outbox.wake();
    } catch (error) {
      await ack(
        modalAnswer(deps, error, {
          fields: FIELDS,
          title: 'Not submitted',
          refusedField: 'product',
          conflictField: fileId === undefined ? 'version' : 'descriptor',
        }),
      );
    }
  });
}
