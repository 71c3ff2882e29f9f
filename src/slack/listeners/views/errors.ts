/** How a modal answers a use case's error: beside the fields it is about, or as a message in its place. */
import type { ViewResponseAction } from '@slack/bolt';
import type { FieldProblem } from '../../../services/errors.js';
import { ConflictError, InvalidInputError, RefusedError } from '../../../services/index.js';
import { messageView } from '../../blocks/modals.js';
import { type SlackDeps, userMessage } from '../../deps.js';

/**
 * `response_action: errors` wants one message per input block id; a problem about a field the modal does not
 * show goes on `fallback`.
 */
export function fieldErrors(
  problems: readonly FieldProblem[],
  blockIds: readonly string[],
  fallback: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const head = problem.field.split('.')[0] ?? '';
    const block = blockIds.includes(head) ? head : fallback;
    errors[block] = errors[block] ? `${errors[block]} ${problem.message}` : problem.message;
  }
  return errors;
}

export interface ModalFields {
  /** The input blocks the modal shows (their ids are the field names). */
  readonly fields: readonly string[];
  /** The title of the message the modal becomes when the error is about no field. */
  readonly title: string;
  /** Where a refusal or a conflict goes, when the modal shows it beside a field (e.g. the product, the version). */
  readonly refusedField?: string;
  readonly conflictField?: string;
}

/**
 * The answer to a use case's error: its problems beside the fields they are about (bad input, a refusal that
 * names fields, a refusal or conflict this modal shows at a field), else the modal becomes a message saying
 * what happened (unexpected errors are logged, by `userMessage`).
 */
export function modalAnswer(deps: SlackDeps, error: unknown, modal: ModalFields): ViewResponseAction {
  const [first] = modal.fields;
  const errors = (problems: readonly FieldProblem[]): ViewResponseAction => ({
    response_action: 'errors',
    errors: fieldErrors(problems, modal.fields, first ?? ''),
  });
  if (first !== undefined) {
    if (error instanceof InvalidInputError) return errors(error.problems);
    if (error instanceof RefusedError && error.refusal.kind === 'invalid') {
      return errors(error.refusal.fieldProblems ?? [{ field: first, message: error.message }]);
    }
    if (error instanceof RefusedError && modal.refusedField) {
      return errors([{ field: modal.refusedField, message: error.message }]);
    }
    if (error instanceof ConflictError && modal.conflictField) {
      return errors([{ field: modal.conflictField, message: error.message }]);
    }
  }
  return { response_action: 'update', view: messageView(modal.title, userMessage(deps, error, modal.title)) };
}
