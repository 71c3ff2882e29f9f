/** What `cmd-bot products import` and `cmd-bot products list` do. */
import { parse as parseYaml } from 'yaml';
import { getProducts, importProducts } from '../../services/index.js';
import type { ImportOptions, ProductListOptions } from '../commands/products.js';
import { listText, plural, table } from '../format.js';
import { CliFailure, out, printJson, readTextFile, say } from '../io.js';
import { callerFor, withReadOnlyRuntime, withRuntime } from '../runtime.js';

/** JSON is YAML, so one parser reads both; its error names the line and column. */
export function parseCardFile(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new CliFailure(
      `${file} is neither valid JSON nor valid YAML: ${error instanceof Error ? error.message.trim() : String(error)}`,
    );
  }
}

export async function runImport(file: string, options: ImportOptions): Promise<void> {
  const list = parseCardFile(readTextFile(file, 'product file'), file);
  await withRuntime(({ ctx }) => {
    const result = importProducts(ctx, list, callerFor(options.by));
    for (const name of result.created) out(`created  ${name}`);
    for (const name of result.updated) out(`updated  ${name}`);
    say(
      `Imported ${plural(result.created.length + result.updated.length, 'product card')} from ${file}: ` +
        `${result.created.length} created, ${result.updated.length} updated.`,
    );
  });
}

export async function runProductList(options: ProductListOptions): Promise<void> {
  await withReadOnlyRuntime(({ ctx }) => {
    const cards = getProducts(ctx);
    if (options.json) {
      printJson(cards);
      return;
    }
    if (cards.length === 0) {
      say('There are no Product ID cards yet; add them with cmd-bot products import FILE.');
      return;
    }
    out(
      table(
        ['NAME', 'TEAM', 'SUPPORT EMAIL', 'CONTACTS', 'CHANNEL', 'PLATFORMS', 'EARLY ADOPTERS'],
        cards.map((card) => [
          card.name,
          card.team,
          card.supportEmail,
          listText(card.contacts),
          card.contactChannel,
          listText(card.platforms),
          listText(card.earlyAdopterSites),
        ]),
      ),
    );
  });
}
