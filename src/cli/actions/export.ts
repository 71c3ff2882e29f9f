/** What `cmd-bot export` and `cmd-bot export descriptor` print or write. */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { descriptorFileText } from '../../domain/umd5-descriptor.js';
import { exportAll, exportDescriptors } from '../../services/index.js';
import type { DescriptorExportOptions } from '../commands/export.js';
import { exportCsv } from '../csv.js';
import { CliFailure, out, printJson, say, usageError, write } from '../io.js';
import { withReadOnlyRuntime } from '../runtime.js';

export async function runExport(format: 'csv' | 'json'): Promise<void> {
  await withReadOnlyRuntime(({ ctx }) => {
    const data = exportAll(ctx);
    if (format === 'json') printJson(data);
    else write(exportCsv(data));
  });
}

export async function runDescriptorExport(
  submissionId: number,
  options: DescriptorExportOptions,
  command: Command,
): Promise<void> {
  if (options.out !== undefined && !(existsSync(options.out) && statSync(options.out).isDirectory())) {
    throw new CliFailure(`${options.out} is not a directory; create it, or give another with --out.`);
  }
  await withReadOnlyRuntime(({ ctx }) => {
    const files = exportDescriptors(ctx, submissionId);
    if (options.out === undefined) {
      if (files.length > 1) {
        usageError(
          command,
          `SUB-${submissionId} has ${files.length} target platforms, one descriptor each: give --out DIR to write them.`,
        );
      }
      write(descriptorFileText(files[0]?.descriptor));
      return;
    }
    for (const file of files) {
      const path = join(options.out, file.fileName);
      writeFileSync(path, descriptorFileText(file.descriptor));
      out(path);
    }
    say(
      `Wrote ${files.length} descriptor${files.length === 1 ? '' : 's'} of SUB-${submissionId} to ${options.out}.`,
    );
  });
}
