/** The process report as Markdown, CSV and JSON (cmd-bot report). Pure. */
import { formatSubmissionId, formatTicketId } from '../domain/ids.js';
import {
  type DelayCount,
  delayGroupLabel,
  NOT_EXPLAINED,
  type OverdueStay,
  type ProcessReport,
  reportDays,
  reportPercent,
  STAGE_LABELS,
  type StageFigures,
  windowDays,
} from '../services/index.js';
import { csvLine } from './csv.js';
import { localTime, utcTime } from './format.js';

const itemId = ({ item }: OverdueStay): string =>
  item.kind === 'submission' ? formatSubmissionId(item.id) : formatTicketId(item.id);

const explanationOf = ({ stay }: OverdueStay): string =>
  stay.delayCategory
    ? delayGroupLabel(stay.delayCategory)
    : stay.delayed
      ? delayGroupLabel(NOT_EXPLAINED)
      : '';

/** A Markdown table cell: a `|` in a product's name or version must not end the cell. */
const cell = (text: string): string =>
  text === '' ? '-' : text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');

/** Columns of figures (`numeric`, by index) are aligned right, text left. */
function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[],
): string {
  const align = headers.map((_, i) => (numeric.includes(i) ? '---:' : '---'));
  return [headers, align, ...rows.map((row) => row.map(cell))]
    .map((row) => `| ${row.join(' | ')} |`)
    .join('\n');
}

function stageTable(stages: readonly StageFigures[]): string {
  return markdownTable(
    ['Stage', 'Went through', 'Within the limit', 'Median (days)', '90th percentile (days)', 'Delayed'],
    stages.map((stage) => [
      STAGE_LABELS[stage.stage],
      String(stage.wentThrough),
      stage.wentThrough === 0 ? '-' : `${stage.withinLimit} (${reportPercent(stage.withinShare)})`,
      reportDays(stage.medianMs),
      reportDays(stage.p90Ms),
      String(stage.delayed),
    ]),
    [1, 2, 3, 4, 5],
  );
}

const delayLine = (delays: readonly DelayCount[]): string =>
  delays.length === 0
    ? 'Delays: none.'
    : `Delays: ${delays.map((delay) => `${delayGroupLabel(delay.category)} ${delay.count}`).join(', ')}.`;

export function reportMarkdown(report: ProcessReport, zone: string): string {
  const days = windowDays(report.window, zone);
  const lines = [
    `# Process report, ${days.from} to ${days.to}`,
    '',
    `Days in ${zone}, both included. Times in a stage leave out time waiting for the provider; days are 24 hours. Definitions: docs/reports.md.`,
    '',
    '## Stages',
    '',
    stageTable(report.stages),
    '',
    '## Delays by explanation',
    '',
    report.delays.length === 0
      ? 'No delays.'
      : markdownTable(
          ['Explanation', 'Delayed'],
          report.delays.map((delay) => [delayGroupLabel(delay.category), String(delay.count)]),
          [1],
        ),
    '',
    '## Per product',
  ];
  if (report.products.length === 0) lines.push('', 'No product went through a stage.');
  for (const product of report.products) {
    lines.push('', `### ${product.product}`, '', stageTable(product.stages), '', delayLine(product.delays));
  }
  lines.push('', `## Open and overdue at ${localTime(report.window.to, zone)}`, '');
  lines.push(
    report.overdue.length === 0
      ? 'None.'
      : markdownTable(
          ['Item', 'Product', 'Version', 'Platform', 'Stage', 'Deadline', 'Days in stage', 'Explanation'],
          report.overdue.map((overdue) => [
            itemId(overdue),
            overdue.item.product,
            overdue.item.version,
            overdue.item.platform ?? '',
            STAGE_LABELS[overdue.stay.stage],
            utcTime(overdue.stay.deadline),
            reportDays(overdue.stay.activeMs),
            explanationOf(overdue),
          ]),
          [6],
        ),
  );
  return `${lines.join('\n')}\n`;
}

export const REPORT_CSV_COLUMNS = [
  'section',
  'product',
  'stage',
  'went_through',
  'within_limit',
  'within_share',
  'median_days',
  'p90_days',
  'delayed',
  'explanation',
  'item',
  'version',
  'platform',
  'deadline',
  'days_in_stage',
] as const;
type CsvRow = Partial<Record<(typeof REPORT_CSV_COLUMNS)[number], string>>;

/** A spreadsheet cell for a figure there is none of: empty rather than `-`, which it would make text. */
const figure = <T>(value: T | null, write: (value: T) => string): string =>
  value === null ? '' : write(value);

const stageRows = (product: string, stages: readonly StageFigures[]): CsvRow[] =>
  stages.map((stage) => ({
    section: 'stage',
    product,
    stage: STAGE_LABELS[stage.stage],
    went_through: String(stage.wentThrough),
    within_limit: String(stage.withinLimit),
    within_share: figure(stage.withinShare, reportPercent),
    median_days: figure(stage.medianMs, reportDays),
    p90_days: figure(stage.p90Ms, reportDays),
    delayed: String(stage.delayed),
  }));

const delayRows = (product: string, delays: readonly DelayCount[]): CsvRow[] =>
  delays.map((delay) => ({
    section: 'delays',
    product,
    explanation: delayGroupLabel(delay.category),
    delayed: String(delay.count),
  }));

/**
 * One table for a spreadsheet: a `section` column says what a row is (stage, delays, overdue); `product` is empty
 * for all products together. Cells go through csvLine, which makes formula characters text.
 */
export function reportCsv(report: ProcessReport): string {
  const rows: CsvRow[] = [
    ...stageRows('', report.stages),
    ...delayRows('', report.delays),
    ...report.products.flatMap((product) => [
      ...stageRows(product.product, product.stages),
      ...delayRows(product.product, product.delays),
    ]),
    ...report.overdue.map((overdue) => ({
      section: 'overdue',
      product: overdue.item.product,
      stage: STAGE_LABELS[overdue.stay.stage],
      delayed: overdue.stay.delayed ? 'yes' : 'no',
      explanation: explanationOf(overdue),
      item: itemId(overdue),
      version: overdue.item.version,
      platform: overdue.item.platform ?? '',
      deadline: overdue.stay.deadline.toISOString(),
      days_in_stage: reportDays(overdue.stay.activeMs),
    })),
  ];
  return [REPORT_CSV_COLUMNS, ...rows.map((row) => REPORT_CSV_COLUMNS.map((column) => row[column] ?? ''))]
    .map(csvLine)
    .join('');
}

/** Exact: times in milliseconds, shares as fractions, instants in ISO-8601 UTC. */
export function reportJson(report: ProcessReport, zone: string) {
  const days = windowDays(report.window, zone);
  return {
    from: days.from,
    to: days.to,
    timeZone: zone,
    window: { start: report.window.from.toISOString(), end: report.window.to.toISOString() },
    stages: report.stages,
    delays: report.delays,
    products: report.products.map((product) => ({
      product: product.product,
      stages: product.stages,
      delays: product.delays,
    })),
    overdue: report.overdue.map((overdue) => ({
      item: itemId(overdue),
      product: overdue.item.product,
      version: overdue.item.version,
      platform: overdue.item.platform,
      stage: overdue.stay.stage,
      enteredAt: overdue.stay.enteredAt.toISOString(),
      deadline: overdue.stay.deadline.toISOString(),
      msInStage: overdue.stay.activeMs,
      delayed: overdue.stay.delayed,
      delayCategory: overdue.stay.delayCategory,
    })),
  };
}
