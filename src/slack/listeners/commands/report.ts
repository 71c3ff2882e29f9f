import { monthReport } from '../../../services/index.js';
import { ephemeral } from '../../blocks/kit.js';
import { reportMessage } from '../../blocks/report.js';
import { type SlackDeps, STAFF_UNKNOWN_MESSAGE, userMessage } from '../../deps.js';
import { commandArgument } from '../../forms.js';
import type { Listeners } from '../../router.js';

export const REPORT_REFUSAL = 'Only the UMD team can see the process report.';

/** `/cmd-report [YYYY-MM]`: the process report of a month (the last full one by default), for staff only. */
export function registerReportCommand(app: Listeners, deps: SlackDeps): void {
  app.command('/cmd-report', async ({ command, ack }) => {
    const staff = deps.staff.check(command.user_id);
    if (staff !== 'staff') {
      await ack(ephemeral(staff === 'unknown' ? STAFF_UNKNOWN_MESSAGE : REPORT_REFUSAL));
      return;
    }
    try {
      const month = commandArgument(command.text);
      const report = monthReport(deps.ctx, month === '' ? null : month);
      await ack(ephemeral(reportMessage(report, deps.ctx.rules.timeZone)));
    } catch (error) {
      await ack(ephemeral(userMessage(deps, error, 'cmd-report')));
    }
  });
}
