import type { FieldProblem } from '../../../services/errors.js';

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
