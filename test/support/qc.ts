/** Quality-criteria answers and form fields for tests that need a Verification passed to go through. */
import { DEFAULT_QC_CRITERIA, type QcAnswer, type QcCriterion } from '../../src/domain/quality-criteria.js';

/** Every default criterion answered OK, as the use case takes it. */
export const QC_ALL_OK: readonly QcAnswer[] = DEFAULT_QC_CRITERIA.map(({ id }) => ({
  id,
  result: 'ok',
  note: null,
}));

/** View-state values answering every criterion OK in the Verification passed form (block ids `qc:<id>`). */
export function qcFieldsAllOk(
  criteria: readonly QcCriterion[] = DEFAULT_QC_CRITERIA,
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    criteria.map(({ id }) => [
      `qc:${id}`,
      { value: { type: 'static_select', selected_option: { value: 'ok' } } },
    ]),
  );
}
