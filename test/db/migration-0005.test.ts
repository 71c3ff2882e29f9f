/**
 * Migration 0005 on a database that already holds early-adopter reports written before it: repeats of one
 * report (same person, site in any case, ticket and outcome) become one, the latest; each report is marked as
 * from a site on the product's card or not.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { applyMigrations } from '../../src/db/migrate.js';
import { tempDir } from '../support/database.js';

let dir: string;
beforeEach(() => {
  dir = tempDir('cmd-bot-migration-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The committed migrations up to `tag` (inclusive), as their own folder. */
function migrationsUpTo(tag: string): string {
  const folder = join(dir, `drizzle-${tag}`);
  mkdirSync(join(folder, 'meta'), { recursive: true });
  cpSync('drizzle', folder, { recursive: true });
  const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as {
    entries: { tag: string }[];
  };
  const last = journal.entries.findIndex((entry) => entry.tag === tag);
  writeFileSync(
    join(folder, 'meta', '_journal.json'),
    JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }),
  );
  return folder;
}

it('when reports were stored before 0005, then repeats become one (the latest) and sites off the card are marked', () => {
  const sqlite = new Database(join(dir, 'old.sqlite'));
  applyMigrations(sqlite, migrationsUpTo('0004_write_probe'), 'old.sqlite');
  sqlite.exec(`
    insert into products (name, name_key, early_adopter_sites, created_at, updated_at) values ('ARC', 'arc', '["SITE-A"]', 0, 0);
    insert into submissions (product_id, version, release_notes, distribution, platforms, packages_by_platform,
      submitted_by, submitted_at, status, entered_at) values (1, '1', 'https://x.org', 'UMD-5', '[]', '{}', 'U1', 0, 'solved', 0);
    insert into tickets (submission_id, platform, packages, created_at, status, entered_at)
      values (1, 'el9/x86_64', '[]', 0, 'staged_rollout', 0);
    insert into early_adopter_reports (ticket_id, reporter, site, platform, outcome, details, at) values
      (1, 'UA', 'SITE-A', 'el9/x86_64', 'problem', 'first', 1),
      (1, 'UA', 'site-a', 'el9/x86_64', 'problem', 'second', 2),
      (1, 'UA', 'SITE-A', 'el9/x86_64', 'works', null, 3),
      (1, 'UB', 'SITE-Z', 'el9/x86_64', 'works', null, 4);
  `);

  expect(applyMigrations(sqlite, 'drizzle', 'old.sqlite')).toBe(1);

  expect(
    sqlite
      .prepare('select reporter, site, outcome, details, listed_site from early_adopter_reports order by id')
      .all(),
  ).toEqual([
    { reporter: 'UA', site: 'site-a', outcome: 'problem', details: 'second', listed_site: 1 },
    { reporter: 'UA', site: 'SITE-A', outcome: 'works', details: null, listed_site: 1 },
    { reporter: 'UB', site: 'SITE-Z', outcome: 'works', details: null, listed_site: 0 },
  ]);
  expect(() =>
    sqlite.exec(
      `insert into early_adopter_reports (ticket_id, reporter, site, platform, outcome, at) values (1, 'UB', 'site-z', 'el9/x86_64', 'works', 5)`,
    ),
  ).toThrow(/UNIQUE/);
  sqlite.close();
});
