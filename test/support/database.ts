/** A fresh database file with the real migrations, and services over it with a clock the test moves. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadCoreConfig } from '../../src/config/core.js';
import type { Env } from '../../src/config/env.js';
import { type DatabaseHandle, type DB, openDatabase } from '../../src/db/index.js';
import { listOutbox, markAttempt, markSent } from '../../src/db/repositories/outbox.js';
import { type Caller, createServiceContext, type ServiceContext } from '../../src/services/index.js';
import { noticesAttempted, noticesSent } from '../../src/services/notices/index.js';

/**
 * The platforms the tests are written with: cmd-bot's default before it took UMD 5's names (al9/x86_64). Tests
 * of the default itself, and of descriptors, leave PLATFORMS unset.
 */
export const TEST_PLATFORMS = { PLATFORMS: 'el9/x86_64,el8/x86_64,ubuntu22/amd64' } as const;

export interface TestClock {
  now(): Date;
  set(at: Date | string): void;
}

export function testClock(start: Date | string): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
  };
}

export interface TestStore {
  readonly dir: string;
  readonly path: string;
  readonly handle: DatabaseHandle;
  readonly clock: TestClock;
  readonly ctx: ServiceContext;
  cleanup(): void;
}

export function tempDir(prefix = 'cmd-bot-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function openTestStore(
  options: { start?: string; env?: Env; onStep?: (step: string) => void } = {},
): TestStore {
  const dir = tempDir();
  const path = join(dir, 'cmd-bot.sqlite');
  const handle = openDatabase(path);
  const clock = testClock(options.start ?? '2027-03-03T13:00:00Z');
  const ctx = createServiceContext({
    db: handle.db,
    config: loadCoreConfig({ ...TEST_PLATFORMS, ...options.env }),
    clock,
    ...(options.onStep ? { onStep: options.onStep } : {}),
  });
  return {
    dir,
    path,
    handle,
    clock,
    ctx,
    cleanup: () => {
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const STAFF: Caller = { userId: 'USTAFF1', staff: true };
export const OTHER_STAFF: Caller = { userId: 'USTAFF2', staff: true };
export const CONTACT: Caller = { userId: 'UCONTACT1', staff: false };
export const STRANGER: Caller = { userId: 'USTRANGER', staff: false };

export const ARC_CARD = {
  name: 'ARC',
  team: 'NorduGrid',
  supportEmail: 'arc-support@example.org',
  contacts: [CONTACT.userId, 'UCONTACT2'],
  contactChannel: 'C0456EFGH',
  platforms: ['el9/x86_64', 'el8/x86_64'],
  earlyAdopterSites: ['SITE-A'],
};

export const ARC_RELEASE = {
  product: 'ARC',
  version: '6.21.1',
  releaseNotes: 'https://www.nordugrid.org/arc/releases/6.21.1',
  packages: ['nordugrid-arc', 'nordugrid-arc-client'],
};

/**
 * Records in the file at `path` a migration newer than every one this code carries, as a newer cmd-bot would
 * have; returns its folder time (drizzle's `created_at`), by which it is known.
 */
export function recordNewerMigration(path: string): number {
  const journal = JSON.parse(
    readFileSync(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8'),
  ) as {
    entries: { when: number }[];
  };
  const newest = Math.max(...journal.entries.map((entry) => entry.when));
  const when = newest + 86_400_000;
  const sqlite = new Database(path);
  try {
    sqlite
      .prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)')
      .run('hash-of-a-migration-from-the-future', when);
  } finally {
    sqlite.close();
  }
  return when;
}

/**
 * What the outbox worker records when it tries (`attempted`) or sends (`sent`) these rows: its own bookkeeping
 * and the facts the notices keep (an announcement tried, a delay notice gone out), as server.ts wires them.
 */
export function settleRows(db: DB, how: 'attempted' | 'sent', ids: readonly number[], at: Date): void {
  const rows = listOutbox(db).filter((row) => ids.includes(row.id));
  // As the worker does: every row is tried before it is sent.
  markAttempt(db, ids, at);
  noticesAttempted(db, rows, at);
  if (how === 'sent') {
    markSent(db, ids, at);
    noticesSent(db, rows, at);
  }
}
