import { monthlyTrend, monthReport } from '../../../services/index.js';
import { ephemeral } from '../../blocks/kit.js';
import { reportMessage } from '../../blocks/report.js';
import { type SlackDeps, STAFF_UNKNOWN_MESSAGE, userMessage } from '../../deps.js';
import { commandArgument } from '../../forms.js';
import { uploadReportChart } from '../../report-chart.js';
import type { Listeners } from '../../router.js';

export const REPORT_REFUSAL = 'Only the UMD team can see the process report.';
export const CHART_FAILED =
  'The chart of the report could not be sent to your direct messages with cmd-bot; the figures above are complete.';

/** `/cmd-report [YYYY-MM]`: the process report of a month (the last full one by default), for staff only. */
export function registerReportCommand(app: Listeners, deps: SlackDeps): void {
  app.command('/cmd-report', async ({ command, ack, client, respond }) => {
    const staff = deps.staff.check(command.user_id);
    if (staff !== 'staff') {
      await ack(ephemeral(staff === 'unknown' ? STAFF_UNKNOWN_MESSAGE : REPORT_REFUSAL));
      return;
    }
    const month = commandArgument(command.text) || null;
    try {
      const report = monthReport(deps.ctx, month);
      await ack(ephemeral(reportMessage(report, deps.ctx.rules.timeZone)));
    } catch (error) {
      await ack(ephemeral(userMessage(deps, error, 'cmd-report')));
      return;
    }
    // After the ack: the chart of the months up to the one reported, into the asker's DM.
    try {
      await uploadReportChart(client, command.user_id, monthlyTrend(deps.ctx, month));
    } catch (error) {
      deps.logger.warn({ err: error }, 'the /cmd-report chart could not be uploaded');
      await respond(ephemeral(CHART_FAILED)).catch(() => {});
    }
  });
}
