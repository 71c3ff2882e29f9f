/**
 * The running bot's WAL checkpoints, made by a thread of their own (src/db/checkpointer.ts): the bot's connection
 * never checkpoints while the thread runs, the thread copies what the bot commits into the file, bounds the WAL
 * under sustained writes, and when it dies the connection checkpoints on its own again.
 */
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type CheckpointResult, startCheckpointer } from '../../src/db/checkpointer.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/index.js';
import { tempDir } from '../support/database.js';

let dir: string;
let handle: DatabaseHandle;
beforeEach(() => {
  dir = tempDir('cmd-bot-checkpointer-');
  handle = openDatabase(join(dir, 'bot.sqlite'));
  handle.sqlite.exec('create table scratch (n integer, filler text)');
});
afterEach(() => {
  handle.close();
  rmSync(dir, { recursive: true, force: true });
});

const autocheckpoint = () => handle.sqlite.pragma('wal_autocheckpoint', { simple: true });

/** Commits `count` rows of about 2 KiB each, one transaction each, on the bot's connection. */
function write(count: number): void {
  const insert = handle.sqlite.prepare('insert into scratch (n, filler) values (?, ?)');
  for (let n = 0; n < count; n++) insert.run(n, 'x'.repeat(2048));
}

/** Resolves with the first checkpoint the thread reports that satisfies `wanted`; rejects after 10 s. */
function checkpointWhere(
  results: CheckpointResult[],
  wanted: (result: CheckpointResult) => boolean,
): Promise<CheckpointResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const found = results.find(wanted);
      if (found || Date.now() - started > 10_000) clearInterval(timer);
      if (found) resolve(found);
      else if (Date.now() - started > 10_000) {
        reject(new Error(`no such checkpoint in 10 s; seen: ${JSON.stringify(results.slice(-5))}`));
      }
    }, 5);
  });
}

it('when it runs, then the bot connection does not checkpoint and the thread copies every committed page into the file', async () => {
  const results: CheckpointResult[] = [];
  const checkpointer = startCheckpointer(handle, { intervalMs: 10, onCheckpoint: (r) => results.push(r) });
  expect(autocheckpoint()).toBe(0);

  write(600);
  const caughtUp = await checkpointWhere(results, (r) => r.log >= 300 && r.checkpointed === r.log);
  expect(caughtUp.by).toBe('thread');
  // What the thread copied is in the database file itself: a copy of the file alone, without its WAL, holds it.
  const copy = join(dir, 'file-alone.sqlite');
  copyFileSync(handle.path, copy);
  const reader = new Database(copy);
  expect(reader.prepare('select count(*) as n from scratch').get()).toEqual({ n: 600 });
  reader.close();

  await checkpointer.stop();
  expect(autocheckpoint()).toBe(1000);
});

it('when the WAL outgrows its bound, then the bot connection catches up between commits and the WAL starts over', async () => {
  const results: CheckpointResult[] = [];
  const checkpointer = startCheckpointer(handle, {
    intervalMs: 10,
    catchUpAfterPages: 50,
    onCheckpoint: (r) => results.push(r),
  });
  write(400);
  const caughtUp = await checkpointWhere(results, (r) => r.by === 'catch-up' && r.busy === 0);
  expect(caughtUp.checkpointed).toBe(caughtUp.log);
  // Caught up, and nothing written since: no second catch-up while the WAL waits for the next commit to start over.
  const catchUps = () => results.filter((r) => r.by === 'catch-up').length;
  const before = catchUps();
  const seen = results.length;
  await checkpointWhere(results, () => results.length >= seen + 5);
  expect(catchUps(), JSON.stringify(results.slice(-8))).toBe(before);
  const walBytes = statSync(`${handle.path}-wal`).size;
  // All of it is in the file now, so the next writes reuse the WAL from its start instead of appending to it.
  write(5);
  expect(statSync(`${handle.path}-wal`).size).toBe(walBytes);
  await checkpointer.stop();
});

it('when the thread cannot run, then the error is reported and the bot connection checkpoints on its own again', async () => {
  const errors: Error[] = [];
  const checkpointer = startCheckpointer(handle, {
    driver: join(dir, 'no-such-driver.js'),
    onError: (error) => errors.push(error),
  });
  await checkpointer.stop();
  expect(errors.map((error) => error.message)).toEqual([
    expect.stringContaining('the WAL checkpointer stopped, SQLite checkpoints in the bot again'),
  ]);
  expect(autocheckpoint()).toBe(1000);
});

it('when the database is in memory, then there is nothing to checkpoint and nothing starts', async () => {
  const memory = openDatabase(':memory:');
  const checkpointer = startCheckpointer(memory);
  expect(memory.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  await checkpointer.stop();
  memory.close();
});
