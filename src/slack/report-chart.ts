/**
 * `/cmd-report`'s chart: rendered (src/charts) and uploaded into the asker's direct messages with cmd-bot, as an
 * ephemeral answer cannot carry a file. It runs after the ack, so the report itself never waits on it.
 */
import type { webApi } from '@slack/bolt';
import { chartTitle, reportChartSvg, svgToPng } from '../charts/report-chart.js';
import type { MonthFigures } from '../services/index.js';

export async function uploadReportChart(
  client: webApi.WebClient,
  userId: string,
  months: readonly MonthFigures[],
): Promise<void> {
  const title = chartTitle(months);
  const png = svgToPng(reportChartSvg(months, title));
  const opened = await client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('Slack opened no direct message channel');
  const last = months.at(-1)?.month ?? 'report';
  await client.files.uploadV2({
    channel_id: channel,
    file: png,
    filename: `cmd-report-${last}.png`,
    title,
    alt_text: `${title}: share within the limit and median time in each stage, month by month`,
    initial_comment: 'The chart of your /cmd-report: share within the limit and median time in each stage.',
  });
}
