/** What `cmd-bot list` prints. */
import type { Command } from 'commander';
import { InvalidInputError, listItems } from '../../services/index.js';
import type { ListOptions } from '../commands/list.js';
import { table, utcTime } from '../format.js';
import { out, printJson, say, usageError } from '../io.js';
import { withReadOnlyRuntime } from '../runtime.js';

export async function runList(options: ListOptions, command: Command): Promise<void> {
  await withReadOnlyRuntime(({ ctx }) => {
    let rows: ReturnType<typeof listItems>;
    try {
      rows = listItems(ctx, {
        ...(options.status !== undefined ? { status: options.status } : {}),
        ...(options.overdue ? { overdue: true } : {}),
      });
    } catch (error) {
      // An unknown --status is a mistake in the command line, like an unknown option.
      if (error instanceof InvalidInputError && error.problems.every((p) => p.field === 'status')) {
        usageError(command, error.message);
      }
      throw error;
    }
    if (options.json) {
      printJson(rows);
      return;
    }
    if (rows.length === 0) {
      say('Nothing matches.');
      return;
    }
    out(
      table(
        ['ID', 'PRODUCT', 'VERSION', 'DISTRIBUTION', 'PLATFORM', 'STATUS', 'DEADLINE (UTC)', 'FLAGS'],
        rows.map((row) => [
          row.id,
          row.product,
          row.version,
          row.distribution,
          row.platform,
          row.statusLabel,
          utcTime(row.deadline),
          [row.security ? 'security' : '', row.overdue ? 'overdue' : ''].filter(Boolean).join(','),
        ]),
      ),
    );
  });
}
