/**
 * Several processes opening one database at the same instant, each applying the migrations it carries (the bot
 * restarting while an operator runs the CLI, two replicas during a deploy): every one must start, and every
 * migration must be applied exactly once. Real processes on a real file: the race is between SQLite locks.
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/database.js';

const DB_MODULE = fileURLToPath(new URL('../../dist/db/index.js', import.meta.url));
const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));
const PROCESSES = 4;

let dir: string;
beforeEach(() => {
  dir = tempDir('cmd-bot-migrate-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Opened {
  readonly ok: boolean;
  /** How many migrations this process applied. */
  readonly applied?: number;
  readonly message?: string;
}

/** Starts `count` processes that open `path` together at `startAt` (busy-waiting, so none is late). */
function openTogether(path: string, count: number): Promise<Opened[]> {
  const startAt = Date.now() + 1500;
  const script = `
    const { openDatabase } = await import(${JSON.stringify(DB_MODULE)});
    while (Date.now() < ${startAt}) {}
    try {
      const handle = openDatabase(${JSON.stringify(path)});
      handle.close();
      console.log(JSON.stringify({ ok: true, applied: handle.migrationsApplied }));
    } catch (error) {
      console.log(JSON.stringify({ ok: false, message: String(error.message) }));
    }`;
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Opened>((resolve) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let output = '';
          child.stdout.on('data', (chunk: Buffer) => {
            output += chunk;
          });
          child.stderr.on('data', (chunk: Buffer) => {
            output += chunk;
          });
          child.on('exit', () => {
            try {
              resolve(JSON.parse(output.trim().split('\n').at(-1) ?? '') as Opened);
            } catch {
              resolve({ ok: false, message: output });
            }
          });
        }),
    ),
  );
}

function journalTags(): string[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.map((entry) => entry.tag);
}

function appliedMigrations(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('processes that open one database at the same instant', () => {
  it(`when ${PROCESSES} open a brand-new file together, then all start and each migration is applied once`, async () => {
    const path = join(dir, 'cmd-bot.sqlite');

    const opened = await openTogether(path, PROCESSES);

    expect(opened).toHaveLength(PROCESSES);
    expect(opened.filter((process) => !process.ok)).toEqual([]);
    // Between them, the processes applied each migration once.
    expect(opened.reduce((sum, process) => sum + (process.applied ?? 0), 0)).toBe(journalTags().length);
    expect(appliedMigrations(path)).toBe(journalTags().length);
  }, 30_000);

  it(`when ${PROCESSES} open a database one migration behind together, then all start and the last migration is applied once`, async () => {
    const path = join(dir, 'cmd-bot.sqlite');
    // The database as the previous release left it: every migration but the last, through the same code.
    const previous = join(dir, 'drizzle');
    cpSync(MIGRATIONS, previous, { recursive: true });
    const journalPath = join(previous, 'meta/_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
    journal.entries.pop();
    writeFileSync(journalPath, JSON.stringify(journal));
    const before = new Database(path);
    before.pragma('journal_mode = WAL');
    migrate(drizzle(before), { migrationsFolder: previous });
    before.close();
    expect(appliedMigrations(path)).toBe(journalTags().length - 1);

    const opened = await openTogether(path, PROCESSES);

    expect(opened).toHaveLength(PROCESSES);
    expect(opened.filter((process) => !process.ok)).toEqual([]);
    expect(opened.reduce((sum, process) => sum + (process.applied ?? 0), 0)).toBe(1);
    expect(appliedMigrations(path)).toBe(journalTags().length);
  }, 30_000);
});
