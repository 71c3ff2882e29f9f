/** What `cmd-bot report` does: the window from the two days, the report, in the format asked for. */
import type { Command } from 'commander';
import { daysWindow, InvalidInputError, processReport } from '../../services/index.js';
import type { ReportOptions } from '../commands/report.js';
import { printJson, usageError, write } from '../io.js';
import { reportCsv, reportJson, reportMarkdown } from '../report-output.js';
import { withReadOnlyRuntime } from '../runtime.js';

export async function runReport(options: ReportOptions, command: Command): Promise<void> {
  await withReadOnlyRuntime(({ ctx, timeZone }) => {
    let window: ReturnType<typeof daysWindow>;
    try {
      window = daysWindow(options.from, options.to, timeZone);
    } catch (error) {
      if (error instanceof InvalidInputError) {
        usageError(command, error.problems.map((problem) => problem.message).join(' '));
      }
      throw error;
    }
    const report = processReport(ctx, window);
    if (options.format === 'json') printJson(reportJson(report, timeZone));
    else if (options.format === 'csv') write(reportCsv(report));
    else write(reportMarkdown(report, timeZone));
  });
}
