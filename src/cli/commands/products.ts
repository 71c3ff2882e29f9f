/** `cmd-bot products import FILE` and `cmd-bot products list`: the Product ID cards. */
import type { Command } from 'commander';
import { parseSlackUser } from '../io.js';

export interface ImportOptions {
  readonly by?: string;
}

export interface ProductListOptions {
  readonly json?: boolean;
}

const EXAMPLE = `[{ "name": "ARC", "team": "NorduGrid", "supportEmail": "arc-support@example.org",
     "contacts": ["U0123ABCD"], "contactChannel": "C0456EFGH", "platforms": ["al9/x86_64"],
     "earlyAdopterSites": ["SITE-A"] }]`;

export function registerProducts(program: Command): void {
  const products = program
    .command('products')
    .description('Product ID cards: who makes a product and whom to tell about its releases.');

  products
    .command('import')
    .description('Create or update Product ID cards from a JSON or YAML list (importing twice updates them).')
    .argument('<FILE>', 'a JSON or YAML list of cards; only name is required')
    .option(
      '--by <USER_ID>',
      'the Slack id of the person this is done for (recorded in the history)',
      parseSlackUser,
    )
    .addHelpText(
      'after',
      `\nExample file (JSON; the same list in YAML works too):\n  ${EXAMPLE}\n\n` +
        'A card that exists (same name, any case) is updated: the fields the file gives replace the old ones,\n' +
        'the others are kept. One bad card and nothing is imported; every problem is listed.',
    )
    .action(async (file: string, options: ImportOptions) => {
      const { runImport } = await import('../actions/products.js');
      await runImport(file, options);
    });

  products
    .command('list')
    .description('List the Product ID cards.')
    .option('--json', 'print the cards as JSON')
    .action(async (options: ProductListOptions) => {
      const { runProductList } = await import('../actions/products.js');
      await runProductList(options);
    });
}
