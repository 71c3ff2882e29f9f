import { type ChartedReport, monthReport } from '../../../services/index.js';
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
    let charted: ChartedReport;
    try {
      charted = monthReport(deps.ctx, commandArgument(command.text) || null);
      await ack(ephemeral(reportMessage(charted.report, deps.ctx.rules.timeZone)));
    } catch (error) {
      await ack(ephemeral(userMessage(deps, error, 'cmd-report')));
      return;
    }
    // After the ack (the PNG takes a moment to draw): the chart of the months up to the one reported, in a DM.
    try {
      await uploadReportChart(client, command.user_id, charted.months);
    } catch (error) {
      deps.logger.warn({ err: error }, 'the /cmd-report chart could not be uploaded');
      await respond(ephemeral(CHART_FAILED)).catch(() => {});
    }
  });
}
