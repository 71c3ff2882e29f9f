import { z } from 'zod';
import { parseSubjectId, type SubjectId } from '../../../domain/ids.js';
import {
  QC_FAILED_FIELD,
  type QcAnswer,
  type QcCriterion,
  type QcResultValue,
  qcNoteField,
  qcResultField,
} from '../../../domain/quality-criteria.js';
import type { DelayCategory } from '../../../domain/ticket-machine.js';
import {
  type AnyMove,
  InvalidInputError,
  performMove,
  RefusedError,
  requestCardRefresh,
} from '../../../services/index.js';
import { messageView } from '../../blocks/modals.js';
import { callerFor, type SlackDeps } from '../../deps.js';
import { Form, type ViewState } from '../../forms.js';
import { CALLBACK_IDS, MOVE_LABELS, type MoveEvent, moveApplies } from '../../moves.js';
import { readMetadata } from '../../payloads.js';
import type { Listeners } from '../../router.js';
import { modalAnswer } from './errors.js';

const metadataSchema = z.object({ s: z.string(), v: z.number().int(), e: z.string() });

/** The input blocks each move's modal shows (see moveModal in blocks/modals.ts). */
function modalFields(event: MoveEvent, criteria: readonly QcCriterion[]): readonly string[] {
  if (event === 'pass_verification') {
    return ['reportUrl', ...criteria.flatMap(({ id }) => [qcResultField(id), qcNoteField(id)])];
  }
  if (event === 'fail_verification') {
    return ['reason', ...(criteria.length > 0 ? [QC_FAILED_FIELD] : []), 'reportUrl'];
  }
  return MODAL_FIELDS[event] ?? [];
}

const MODAL_FIELDS: Partial<Record<MoveEvent, readonly string[]>> = {
  inject: ['platforms', 'assignee'],
  reject: ['reason'],
  mark_ready: ['reportUrl'],
  wait_for_provider: ['needed'],
  supersede: ['supersededBy', 'reason'],
  explain_delay: ['category', 'text'],
};

/** The verifier's answer for each criterion the form showed; what is not a result is left for the use case to refuse. */
function qcAnswers(form: Form, criteria: readonly QcCriterion[]): QcAnswer[] {
  return criteria.map(({ id }) => ({
    id,
    result: (form.selected(qcResultField(id)) ?? null) as QcResultValue | null,
    note: form.text(qcNoteField(id)) ?? null,
  }));
}

function moveFromForm(
  subject: SubjectId,
  event: MoveEvent,
  version: number,
  form: Form,
  criteria: readonly QcCriterion[],
): AnyMove {
  const expectedVersion = version;
  const optional = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  if (subject.kind === 'submission') {
    switch (event) {
      case 'inject':
        return {
          kind: 'submission',
          event: { type: 'inject', expectedVersion },
          platforms: form.selectedMany('platforms'),
          assignee: form.user('assignee') ?? null,
        };
      case 'reject':
        return {
          kind: 'submission',
          event: { type: 'reject', expectedVersion, reason: form.text('reason') ?? '' },
        };
      case 'wait_for_provider':
        return {
          kind: 'submission',
          event: { type: 'wait_for_provider', expectedVersion, needed: form.text('needed') ?? '' },
        };
      case 'resume':
        return { kind: 'submission', event: { type: 'resume', expectedVersion } };
      default:
        throw new InvalidInputError([
          { field: 'event', message: `${MOVE_LABELS[event]} applies to a ticket, not a submission.` },
        ]);
    }
  }
  switch (event) {
    case 'start_verification':
    case 'resume':
      return { kind: 'ticket', event: { type: event, expectedVersion } };
    case 'pass_verification':
      return {
        kind: 'ticket',
        event: {
          type: event,
          expectedVersion,
          reportUrl: form.text('reportUrl') ?? '',
          qc: qcAnswers(form, criteria),
        },
      };
    case 'fail_verification': {
      const reportUrl = optional(form.text('reportUrl'));
      return {
        kind: 'ticket',
        event: {
          type: event,
          expectedVersion,
          reason: form.text('reason') ?? '',
          ...(reportUrl ? { reportUrl } : {}),
          failedCriteria: form.selectedMany(QC_FAILED_FIELD),
        },
      };
    }
    case 'mark_ready': {
      const reportUrl = optional(form.text('reportUrl'));
      return { kind: 'ticket', event: { type: event, expectedVersion, ...(reportUrl ? { reportUrl } : {}) } };
    }
    case 'reject':
      return { kind: 'ticket', event: { type: event, expectedVersion, reason: form.text('reason') ?? '' } };
    case 'wait_for_provider':
      return { kind: 'ticket', event: { type: event, expectedVersion, needed: form.text('needed') ?? '' } };
    case 'supersede': {
      const supersededBy = optional(form.text('supersededBy'));
      const reason = optional(form.text('reason'));
      return {
        kind: 'ticket',
        event: {
          type: event,
          expectedVersion,
          ...(supersededBy ? { supersededBy } : {}),
          ...(reason ? { reason } : {}),
        },
      };
    }
    case 'explain_delay':
      return {
        kind: 'ticket',
        event: {
          type: event,
          expectedVersion,
          category: (form.selected('category') ?? '') as DelayCategory,
          text: form.text('text') ?? '',
        },
      };
    case 'inject':
      throw new InvalidInputError([
        { field: 'event', message: 'Inject applies to a submission, not a ticket.' },
      ]);
    default: {
      const unknown: never = event;
      throw new Error(`unknown move ${String(unknown)}`);
    }
  }
}

/** A staff move's modal: the move runs in one transaction before the ack; the card follows through the outbox. */
export function registerMoveView(app: Listeners, deps: SlackDeps): void {
  app.view(CALLBACK_IDS.move, async ({ ack, body, view }) => {
    const metadata = readMetadata(view.private_metadata, metadataSchema);
    const subject = metadata ? parseSubjectId(metadata.s) : null;
    const event = metadata && Object.hasOwn(MOVE_LABELS, metadata.e) ? (metadata.e as MoveEvent) : null;
    if (!metadata || !subject || !event || !moveApplies(event, subject)) {
      await ack({
        response_action: 'update',
        view: messageView(
          'Not done',
          'This form is from an older version of cmd-bot. Click the button on the card again.',
        ),
      });
      return;
    }
    try {
      const form = new Form(view.state.values as ViewState);
      const move = moveFromForm(subject, event, metadata.v, form, deps.ctx.qcCriteria);
      performMove(deps.ctx, subject.id, move, callerFor(deps, body.user.id));
      await ack();
      deps.outbox.wake();
    } catch (error) {
      await ack(
        modalAnswer(deps, error, {
          fields: modalFields(event, deps.ctx.qcCriteria),
          title: `${MOVE_LABELS[event]}: not done`,
        }),
      );
      if (error instanceof RefusedError && error.refusal.kind === 'outdated') {
        requestCardRefresh(deps.ctx, subject);
        deps.outbox.wake();
      }
    }
  });
}
