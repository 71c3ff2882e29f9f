/** `/cmd-help`. */
import { ONE_LINE_USAGE } from '../forms.js';
import { message, type SlackMessage, section } from './kit.js';

export function helpMessage(isStaff: boolean): SlackMessage {
  const lines = [
    '*cmd-bot* tracks product releases through EGI’s software provisioning: Unverified → Verification → Staged Rollout → Ready.',
    '• `/cmd-submit` opens a form to submit a release; or in one line:',
    `   \`${ONE_LINE_USAGE}\``,
    '• `/cmd-status SUB-12`, `/cmd-status TKT-34` or `/cmd-status PRODUCT`: status, deadlines and history.',
    '• `/cmd-list` (open items), `/cmd-list delayed`, `/cmd-list mine`, or `/cmd-list STATUS`.',
    '• `/cmd-product NAME`: a Product ID card.',
    'Limits: injection within 5 working days, Unverified at most a month, Verification a week, Staged Rollout a month.',
  ];
  if (isStaff)
    lines.push('You are UMD staff: move releases with the buttons on their cards in the UMD channel.');
  return message('How to use cmd-bot', [section(lines.join('\n'))]);
}
