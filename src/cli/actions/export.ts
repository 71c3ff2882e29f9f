/** What `cmd-bot export` prints. */
import { exportAll } from '../../services/index.js';
import type { ExportOptions } from '../commands/export.js';
import { exportCsv } from '../csv.js';
import { printJson, write } from '../io.js';
import { withReadOnlyRuntime } from '../runtime.js';

export async function runExport(options: ExportOptions): Promise<void> {
  await withReadOnlyRuntime(({ ctx }) => {
    const data = exportAll(ctx);
    if (options.format === 'json') printJson(data);
    else write(exportCsv(data));
  });
}
