/** `/cmd-help`. */
import { CLOCK_LABELS } from '../../domain/clock-kinds.js';
import { describeDuration, type ProcessRules } from '../../domain/deadlines.js';
import { ONE_LINE_USAGE } from '../forms.js';
import { message, type SlackMessage, section } from './kit.js';

/** The process's limits as configured: "injection within 5 working days, Unverified at most 1 month, …". */
export function limitsText(rules: Pick<ProcessRules, 'injectionWorkingDays' | 'limits'>): string {
  const days = rules.injectionWorkingDays;
  const stages = (['unverified', 'verification', 'staged_rollout'] as const).map(
    (clock) => `${CLOCK_LABELS[clock]} at most ${describeDuration(rules.limits[clock])}`,
  );
  return `injection within ${days} working day${days === 1 ? '' : 's'}, ${stages.join(', ')}`;
}

export function helpMessage(
  isStaff: boolean,
  rules: Pick<ProcessRules, 'injectionWorkingDays' | 'limits'>,
): SlackMessage {
  const lines = [
    '*cmd-bot* tracks product releases through EGI’s software provisioning: Unverified → Verification → Staged Rollout → Ready.',
    '• `/cmd-submit` opens a form to submit a release (or upload its UMD5 descriptor there, or in a direct message to cmd-bot); or in one line:',
    `   \`${ONE_LINE_USAGE}\``,
    '• `/cmd-status SUB-12`, `/cmd-status TKT-34` or `/cmd-status PRODUCT`: status, deadlines and history.',
    '• `/cmd-list` (open items), `/cmd-list delayed`, `/cmd-list mine`, or `/cmd-list STATUS`.',
    '• `/cmd-product NAME`: a Product ID card.',
    '• `/cmd-release show UMD-5.1.0`: what a numbered release holds, and what is on its way to it.',
    `Limits: ${limitsText(rules)}.`,
  ];
  if (isStaff)
    lines.push(
      'You are UMD staff: move releases with the buttons on their cards in the UMD channel.',
      '• `/cmd-report` (last month) or `/cmd-report 2027-03`: the process report, per stage and product.',
      '• `/cmd-release new UMD-5.1.0 2027-03-15 [security]`, `/cmd-release add|remove UMD-5.1.0 TKT-3 reason`, `/cmd-release publish UMD-5.1.0 [notes link]`, `/cmd-release cancel UMD-5.1.0 reason`: the release train.',
    );
  return message('How to use cmd-bot', [section(lines.join('\n'))]);
}
