import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getProducts } from '../../src/services/index.js';
import { ARC_CARD, DCACHE_CARD, withWorkspace } from './harness.js';

interface Card {
  readonly name: string;
  readonly team: string | null;
  readonly contacts: readonly string[];
  readonly platforms: readonly string[];
  readonly earlyAdopterSites: readonly string[];
}

describe.concurrent('cmd-bot migrate and products', () => {
  it('when migrate runs on a new path, then it creates the database, prints its path and is idempotent', () =>
    withWorkspace(async (ws) => {
      const first = await ws.run(['migrate']);
      expect(first).toMatchObject({ code: 0, stdout: `${ws.dbPath}\n` });
      expect(first.stderr).toMatch(/Applied \d+ migrations?;/);
      expect(existsSync(ws.dbPath)).toBe(true);

      const second = await ws.run(['migrate']);
      expect(second).toMatchObject({ code: 0, stdout: `${ws.dbPath}\n` });
      expect(second.stderr).toMatch(/up to date/);
    }));

  it('when a JSON list is imported and then a YAML edit of it, then the cards are updated, not duplicated', () =>
    withWorkspace(async (ws) => {
      const json = ws.file('products.json', JSON.stringify([ARC_CARD, DCACHE_CARD], null, 2));
      const first = await ws.run(['products', 'import', json]);
      expect(first.code).toBe(0);
      expect(first.stdout).toBe('created  ARC\ncreated  dCache\n');

      const yaml = ws.file(
        'products.yaml',
        [
          '# the same cards, edited',
          '- name: arc # any case matches the card',
          '  team: NorduGrid Collaboration',
          '  earlyAdopterSites: [SITE-A, SITE-B]',
          '- name: dCache',
          '- name: FTS',
          '  platforms:',
          '    - el9/x86_64',
        ].join('\n'),
      );
      const second = await ws.run(['products', 'import', yaml, '--by', 'U0123ABCD']);
      expect(second.code).toBe(0);
      expect(second.stdout).toBe('created  FTS\nupdated  ARC\nupdated  dCache\n');
      expect(second.stderr).toContain('1 created, 2 updated');

      const cards = await ws.json<Card[]>(['products', 'list', '--json']);
      expect(cards.map((card) => card.name).sort()).toEqual(['ARC', 'FTS', 'dCache']);
      const arc = cards.find((card) => card.name === 'ARC');
      // Fields the YAML gave replace the old ones; the others are kept.
      expect(arc).toMatchObject({
        team: 'NorduGrid Collaboration',
        earlyAdopterSites: ['SITE-A', 'SITE-B'],
        contacts: ['U0123ABCD'],
        platforms: ['el9/x86_64', 'el8/x86_64'],
      });

      const table = await ws.run(['products', 'list']);
      expect(table.code).toBe(0);
      expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+TEAM\s+SUPPORT EMAIL\s+CONTACTS/);
      expect(table.stdout).toMatch(/ARC\s+NorduGrid Collaboration\s+arc-support@example\.org\s+U0123ABCD/);
    }));

  it('when one card of the file is bad, then nothing is imported, it exits 1 and every problem is listed', () =>
    withWorkspace(async (ws) => {
      const bad = ws.file(
        'bad.json',
        JSON.stringify([
          ARC_CARD,
          { name: 'X', contacts: ['not-a-slack-id'] },
          { team: 'no name' },
          { name: 'Y', colour: 'blue' },
          { name: 'Z', platforms: ['solaris/sparc'] },
        ]),
      );
      const result = await ws.run(['products', 'import', bad]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(/^cmd-bot: product 2 \(X\): contacts\.0: must be a Slack user id/),
        expect.stringMatching(/^cmd-bot: product 3: name: every product needs a name/),
        expect.stringMatching(/^cmd-bot: product 4 \(Y\): unknown field\(s\) colour/),
        expect.stringMatching(/^cmd-bot: product 5 \(Z\): platforms: solaris\/sparc is not configured/),
      ]);
      expect(ws.services('2026-11-02T10:00:00Z', (ctx) => getProducts(ctx))).toEqual([]);
    }));

  it('when the file is not JSON or YAML, is missing, or is not a list, then it exits 1 saying so', () =>
    withWorkspace(async (ws) => {
      const [broken, missing, notList] = await Promise.all([
        ws.run(['products', 'import', ws.file('broken.yaml', '- name: ARC\n  platforms: [el9/x86_64\n')]),
        ws.run(['products', 'import', `${ws.dir}/nope.json`]),
        ws.run(['products', 'import', ws.file('card.json', JSON.stringify(ARC_CARD))]),
      ]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(
        /^cmd-bot: .*broken\.yaml is neither valid JSON nor valid YAML: .*line \d+/,
      );
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('nope.json: it does not exist.');
      expect(notList.code).toBe(1);
      expect(notList.stderr).toContain('must hold a list of products');
    }));
});
