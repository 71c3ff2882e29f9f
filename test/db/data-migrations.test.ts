/**
 * The data migrations, on a database written before them. 0005: repeats of one early-adopter report (same
 * person, site in any case, ticket and outcome) become one, the latest, and each is marked as from a site on
 * the product's card or not. 0006: the facts that used to be read back out of queued notices (an announcement
 * tried, a platform announced in its own message, a delay notice sent) are written into their own columns.
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

  expect(applyMigrations(sqlite, migrationsUpTo('0005_early_adopter_reports_once'), 'old.sqlite')).toBe(1);

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

it('when notices were queued before 0006, then the facts read from them are written into their own columns', () => {
  const sqlite = new Database(join(dir, 'old.sqlite'));
  applyMigrations(sqlite, migrationsUpTo('0005_early_adopter_reports_once'), 'old.sqlite');
  const outbox = (key: string, payload: object, attempts: number, sentAt: number | null) =>
    sqlite
      .prepare(
        `insert into outbox (key, recipient_kind, recipient, submission_id, payload, attempts, next_attempt_at,
           last_attempt_at, sent_at, created_at) values (?, 'user', 'U1', 1, ?, ?, 0, ?, ?, 0)`,
      )
      .run(key, JSON.stringify(payload), attempts, attempts > 0 ? 10 : null, sentAt);
  sqlite.exec(`
    insert into products (name, name_key, created_at, updated_at) values ('ARC', 'arc', 0, 0);
    insert into submissions (product_id, version, release_notes, distribution, platforms, packages_by_platform,
      submitted_by, submitted_at, status, entered_at) values (1, '1', 'https://x.org', 'UMD-5', '[]', '{}', 'U1', 0, 'solved', 0);
    insert into tickets (submission_id, platform, packages, created_at, status, entered_at, verification_report_url)
      values (1, 'el9', '[]', 0, 'staged_rollout', 0, 'https://r'), (1, 'el8', '[]', 0, 'staged_rollout', 0, 'https://r'),
             (1, 'd12', '[]', 0, 'delayed', 0, null);
  `);
  outbox('SUB-1:early_adopter_announcement', { topic: 'early_adopter_announcement', text: 'x' }, 1, 20);
  outbox(
    'TKT-2:v3:early_adopter_platform_added',
    { topic: 'early_adopter_platform_added', text: 'x', ticketIds: [2] },
    1,
    30,
  );
  outbox('TKT-3:v2:delayed:user:U1', { topic: 'delayed', text: 'x', ticketIds: [3] }, 1, 40);

  applyMigrations(sqlite, 'drizzle', 'old.sqlite');

  expect(sqlite.prepare('select rollout_announced_at from submissions').all()).toEqual([
    { rollout_announced_at: 10 },
  ]);
  expect(
    sqlite.prepare('select id, announced_in, delay_notice_sent_at from tickets order by id').all(),
  ).toEqual([
    { id: 1, announced_in: 'announcement', delay_notice_sent_at: null },
    { id: 2, announced_in: 'own_message', delay_notice_sent_at: null },
    { id: 3, announced_in: null, delay_notice_sent_at: 40 },
  ]);
  sqlite.close();
});
