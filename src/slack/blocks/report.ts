/**
 * `/cmd-report [month]`: the process report in Block Kit, for staff. The whole report (Markdown tables, or CSV for a
 * spreadsheet) is the command line's `cmd-bot report`, whose command line the message gives.
 */
import { DateTime } from 'luxon';
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import { formatInstant } from '../../domain/machine.js';
import {
  type DelayCount,
  delayGroupLabel,
  NOT_EXPLAINED,
  type ProcessReport,
  reportDays,
  reportPercent,
  STAGE_LABELS,
  type StageFigures,
  windowDays,
} from '../../services/index.js';
import {
  capBlocks,
  context,
  header,
  joinMd,
  type KnownBlock,
  LIMITS,
  linesWithin,
  type Mrkdwn,
  md,
  message,
  type SlackMessage,
  section,
  sectionsOf,
} from './kit.js';

function stageLine(stage: StageFigures): Mrkdwn {
  const label = STAGE_LABELS[stage.stage];
  if (stage.wentThrough === 0) return md`• ${label}: none went through`;
  return md`• ${label}: ${stage.wentThrough} went through, ${stage.withinLimit} within the limit (${reportPercent(stage.withinShare)}), median ${reportDays(stage.medianMs)} d, 90th percentile ${reportDays(stage.p90Ms)} d, ${stage.delayed} delayed`;
}

const delaysText = (delays: readonly DelayCount[]): Mrkdwn =>
  delays.length === 0
    ? md`none`
    : joinMd(
        delays.map((delay) => md`${delayGroupLabel(delay.category)} ${delay.count}`),
        ', ',
      );

/** The message of `/cmd-report`, titled with the month it covers (`March 2027`). */
export function reportMessage(report: ProcessReport, zone: string): SlackMessage {
  const days = windowDays(report.window, zone);
  const month = DateTime.fromJSDate(report.window.from, { zone }).toFormat('LLLL yyyy');
  const cli = `cmd-bot report --from ${days.from} --to ${days.to}`;
  const end = md`the end of ${days.to}`;
  const overdueLines = report.overdue.map(({ item, stay }) => {
    const id = item.kind === 'submission' ? formatSubmissionId(item.id) : formatTicketId(item.id);
    const explanation = stay.delayCategory ?? (stay.delayed ? NOT_EXPLAINED : null);
    return md`• *${id}* ${item.product} ${item.version}${item.platform ? ` ${item.platform}` : ''} · ${STAGE_LABELS[stay.stage]}, due ${formatInstant(stay.deadline)}, ${reportDays(stay.activeMs)} d in stage${explanation ? ` · ${delayGroupLabel(explanation)}` : ''}`;
  });
  const productLines = report.products.map(
    (product) =>
      md`*${product.product}*\n${joinMd(product.stages.map(stageLine), '\n')}\nDelays: ${delaysText(product.delays)}`,
  );
  const blocks: KnownBlock[] = [
    header(`Process report, ${month}`),
    context(
      `${days.from} to ${days.to} (${zone}). Time waiting for the provider is not counted; days are 24 hours. Definitions: docs/reports.md.`,
    ),
    section(md`*Stages*\n${joinMd(report.stages.map(stageLine), '\n')}`),
    section(md`*Delays by explanation*: ${delaysText(report.delays)}`),
    section(
      report.overdue.length === 0
        ? md`*Open and overdue at ${end}*: none`
        : linesWithin(overdueLines, (left) => md`…and ${left} more: see the full report.`, {
            head: md`*Open and overdue at ${end}* (${report.overdue.length})`,
          }),
    ),
    ...(productLines.length === 0
      ? [section(md`*Per product*: no product went through a stage.`)]
      : [section(md`*Per product*`), ...sectionsOf(productLines, 1)]),
  ];
  const footer = context(
    md`The whole report: \`${cli}\` (Markdown), or add \`--format csv\` for a spreadsheet, on the bot's host.`,
  );
  // The footer always shows: the products give way first when the message would be too long.
  const shown = capBlocks(
    blocks,
    LIMITS.messageBlocks - 1,
    (left) => `…and ${left} more products: see the full report.`,
  );
  return message(md`Process report, ${month}`, [...shown, footer]);
}
