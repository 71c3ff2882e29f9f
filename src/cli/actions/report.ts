/** What `cmd-bot report` does: the window from the two days, the report, in the format asked for. */

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  chartedReport,
  daysWindow,
  InvalidInputError,
  type MonthFigures,
  monthsOf,
} from '../../services/index.js';
import type { ReportOptions } from '../commands/report.js';
import { plural } from '../format.js';
import { printJson, say, usageError, write } from '../io.js';
import { reportCsv, reportJson, reportMarkdown } from '../report-output.js';
import { loadSettings, withReadOnlyRuntime } from '../runtime.js';

/** The chart of `months` into `file`: SVG when its name ends in .svg, else PNG. */
async function writeChartFile(file: string, months: readonly MonthFigures[]): Promise<void> {
  const { chartTitle, reportChartSvg, svgToPng } = await import('../../charts/report-chart.js');
  const svg = reportChartSvg(months, chartTitle(months));
  writeFileSync(file, file.toLowerCase().endsWith('.svg') ? svg : svgToPng(svg));
  say(`Wrote the chart of ${plural(months.length, 'month')} to ${file}.`);
}

/** The period the two days name, in CMD_TIMEZONE; a mistake in them is a usage error (exit 2). */
function windowOf(options: ReportOptions, timeZone: string, command: Command): ReturnType<typeof daysWindow> {
  try {
    return daysWindow(options.from, options.to, timeZone);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      usageError(command, error.problems.map((problem) => problem.message).join(' '));
    }
    throw error;
  }
}

export async function runReport(options: ReportOptions, command: Command): Promise<void> {
  // The days are checked before the database is opened: a mistake in them is the same whatever the file.
  const settings = loadSettings();
  const window = windowOf(options, settings.config.CMD_TIMEZONE, command);
  await withReadOnlyRuntime(
    async ({ ctx, timeZone }) => {
      const { report, months } = chartedReport(ctx, window, options.chart ? monthsOf(window, timeZone) : []);
      if (options.format === 'json') printJson(reportJson(report, timeZone));
      else if (options.format === 'csv') write(reportCsv(report));
      else write(reportMarkdown(report, timeZone));
      if (options.chart) await writeChartFile(options.chart, months);
    },
    { settings },
  );
}
