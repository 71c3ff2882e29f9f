/** `cmd-bot release create`, `release show` and `release export`, as operators run them. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelease, inject, registerProduct, submit } from '../../src/services/index.js';
import { ARC_CARD, ARC_RELEASE, CONTACT, STAFF } from '../support/database.js';
import { toReady } from '../support/ticket-flow.js';
import { type Workspace, withWorkspace, workspace } from './harness.js';

describe.concurrent('cmd-bot release', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace();
  });
  afterAll(() => ws.cleanup());

  it('when staff plan UMD-5.1.0, then its name goes to stdout, its cut-off to stderr, and show lists it in text and JSON', async () => {
    const created = await ws.run(['release', 'create', 'UMD-5.1.0', '--date', '2099-03-15']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toBe('UMD-5.1.0');
    expect(created.stderr).toContain(
      'Planned UMD 5.1.0 for 2099-03-15; its contents freeze 2099-03-08 23:00 UTC (2099-03-09 00:00 Europe/Amsterdam).',
    );
    const shown = await ws.run(['release', 'show', 'umd-5.1.0']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('UMD 5.1.0: planned, release date 2099-03-15');
    expect(shown.stdout).toContain('Candidates (Ready now)\n  none');
    const json = JSON.parse((await ws.run(['release', 'show', 'UMD-5.1.0', '--json'])).stdout);
    expect(json).toMatchObject({ name: 'UMD-5.1.0', state: 'planned', cutoffAt: '2099-03-08T23:00:00.000Z' });
    // cmd-bot export carries the releases too.
    const exported = JSON.parse((await ws.run(['export', '--format', 'json'])).stdout);
    expect(exported.releases).toContainEqual(
      expect.objectContaining({
        name: 'UMD-5.1.0',
        state: 'planned',
        releaseDate: '2099-03-15',
        ticketIds: [],
      }),
    );
  });

  it('when the name, major, date or uniqueness is wrong, then it exits 1 saying what to fix', async () => {
    const [badMajor, past, unknown] = await Promise.all([
      ws.run(['release', 'create', 'UMD-6.0.0', '--date', '2099-03-15']),
      ws.run(['release', 'create', 'UMD-5.9.0', '--date', '2001-01-01']),
      ws.run(['release', 'show', 'UMD-5.7.0']),
    ]);
    expect(badMajor.code).toBe(1);
    expect(badMajor.stderr).toContain('UMD 6.0.0 does not belong to UMD-5');
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('2001-01-01 is in the past');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no release UMD 5.7.0');
    const badName = await ws.run(['release', 'create', 'UMD5', '--date', '2099-03-15']);
    expect([badName.code, badName.stderr]).toEqual([
      1,
      expect.stringContaining('"UMD5" is not a release name: write the distribution and version'),
    ]);
    expect((await ws.run(['release', 'create', 'UMD-5.3.0', '--date', '2099-05-15'])).code).toBe(0);
    const twice = await ws.run(['release', 'create', 'UMD-5.3.0', '--date', '2099-06-15']);
    expect([twice.code, twice.stderr]).toEqual([
      1,
      expect.stringContaining('UMD 5.3.0 already exists (planned, release date 2099-05-15).'),
    ]);
  });
});

describe.concurrent('cmd-bot release export', () => {
  /** UMD-5.1.0 planned, with ARC 6.21.1 Ready on el9 and el8. */
  const withReadyRelease = (work: (ws: Workspace) => Promise<void>) =>
    withWorkspace(async (ws) => {
      ws.services('2099-03-01T09:00:00Z', (ctx) => {
        registerProduct(ctx, ARC_CARD, STAFF);
        createRelease(ctx, { name: 'UMD-5.1.0', date: '2099-03-15' }, STAFF);
        const { submission } = submit(ctx, ARC_RELEASE, CONTACT);
        for (const ticket of inject(ctx, submission.id, { expectedVersion: 1 }, STAFF).tickets) {
          toReady(ctx, ticket.id);
        }
      });
      await work(ws);
    });

  it('when staff take a candidate out before the freeze, then show and export say so, and adding it back puts it in', () =>
    withReadyRelease(async (ws) => {
      const removed = await ws.run([
        'release',
        'remove',
        'UMD-5.1.0',
        'TKT-2',
        '--reason',
        'el8 repo broken',
        '--by',
        'USTAFF1',
      ]);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stderr).toContain('Took TKT-2 out of UMD 5.1.0.');
      const shown = await ws.run(['release', 'show', 'UMD-5.1.0']);
      expect(shown.stdout).toMatch(
        /Taken out by hand \(they slip at the freeze\)\n.*\n.*TKT-2 .*el8 repo broken/,
      );
      const json = JSON.parse((await ws.run(['release', 'show', 'UMD-5.1.0', '--json'])).stdout);
      expect(json.candidates.map((c: { ticket: string }) => c.ticket)).toEqual(['TKT-1']);
      expect(json.takenOut).toEqual([
        expect.objectContaining({ ticket: 'TKT-2', byHand: { by: 'USTAFF1', reason: 'el8 repo broken' } }),
      ]);
      const exported = JSON.parse((await ws.run(['export', '--format', 'json'])).stdout);
      expect(exported.releases[0]).toMatchObject({ ticketIds: [], takenOutTicketIds: [2] });

      const again = await ws.run(['release', 'remove', 'UMD-5.1.0', 'TKT-2', '--reason', 'twice']);
      expect([again.code, again.stderr.trim()]).toEqual([
        1,
        'cmd-bot: TKT-2 is taken out of UMD 5.1.0 already.',
      ]);
      const added = await ws.run(['release', 'add', 'UMD-5.1.0', 'TKT-2', '--reason', 'repo fixed']);
      expect(added.code, added.stderr).toBe(0);
      const after = JSON.parse((await ws.run(['release', 'show', 'UMD-5.1.0', '--json'])).stdout);
      expect(after.candidates.map((c: { ticket: string }) => c.ticket)).toEqual(['TKT-1', 'TKT-2']);
    }));

  it('when staff export a release as json or md, then stdout holds the distribution document or the release notes', () =>
    withReadyRelease(async (ws) => {
      const [json, md] = await Promise.all([
        ws.run(['release', 'export', 'UMD-5.1.0', '--format', 'json']),
        ws.run(['release', 'export', 'UMD-5.1.0', '--format', 'md']),
      ]);
      expect(json.code, json.stderr).toBe(0);
      const document = JSON.parse(json.stdout);
      expect(document).toMatchObject({
        distributionType: 'UMD',
        distributionVersion: '5.1.0',
        currentState: 'planned',
        releaseDate: '2099-03-15 00:00:00',
      });
      expect(
        document.products.map((p: { name: string; version: string; technologyProvider: string }) => [
          p.name,
          p.version,
          p.technologyProvider,
        ]),
      ).toEqual([['ARC', '6.21.1', 'NorduGrid']]);
      expect(md.code, md.stderr).toBe(0);
      expect(md.stdout).toContain('# UMD 5.1.0\n\nRelease date: 2099-03-15');
      expect(md.stdout).toContain(
        '- **ARC 6.21.1** — el9/x86_64, el8/x86_64 — [release notes](https://www.nordugrid.org/arc/releases/6.21.1)',
      );
    }));

  it('when --products-dir names a folder, then one product file per product is written there and its path printed on stderr', () =>
    withReadyRelease(async (ws) => {
      const dir = join(ws.dir, 'products');
      mkdirSync(dir);
      const result = await ws.run([
        'release',
        'export',
        'UMD-5.1.0',
        '--format',
        'json',
        '--products-dir',
        dir,
      ]);
      expect(result.code, result.stderr).toBe(0);
      const path = join(dir, 'product-UMD-5.1.0-ARC6.21.1.json');
      expect(result.stderr).toContain(`${path}\nWrote 1 product file of UMD-5.1.0 to ${dir}.`);
      expect(JSON.parse(result.stdout).products).toHaveLength(1);
      const product = JSON.parse(readFileSync(path, 'utf8'));
      expect(product).toMatchObject({ name: 'ARC', version: '6.21.1', distributionType: 'UMD' });
      expect(
        product.target.map((t: { platform: string; arch: string }) => `${t.platform}/${t.arch}`),
      ).toEqual(['el9/x86_64', 'el8/x86_64']);
    }));

  it('when --products-dir is missing, the format is unknown or the release does not exist, then it exits saying what to fix', () =>
    withReadyRelease(async (ws) => {
      const missing = join(ws.dir, 'nowhere');
      const [noDir, badFormat, unknown] = await Promise.all([
        ws.run(['release', 'export', 'UMD-5.1.0', '--format', 'md', '--products-dir', missing]),
        ws.run(['release', 'export', 'UMD-5.1.0', '--format', 'html']),
        ws.run(['release', 'export', 'UMD-5.7.0', '--format', 'json']),
      ]);
      expect(noDir.code).toBe(1);
      expect(noDir.stderr).toContain(
        `${missing} is not a directory; create it, or give another with --products-dir.`,
      );
      expect(noDir.stdout).toBe('');
      expect(existsSync(missing)).toBe(false);
      expect(badFormat.code).toBe(2);
      expect(badFormat.stderr).toContain("argument 'html' is invalid");
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('There is no release UMD 5.7.0');
    }));
});
