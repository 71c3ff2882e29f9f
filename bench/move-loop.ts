/**
 * A ticket move's database cost, without HTTP. Start verification on seeded tickets through the use case, ten
 * to a group commit as the bot batches them under the HTTP benchmark's load; the time a move holds the event
 * loop (wall) and its CPU, the median of five rounds of 10,000, how long the slowest batches held it, and the WAL
 * pages a batch appends.
 *
 * `tsx bench/move-loop.ts` measures it as the bot runs (checkpoints on their own thread, src/db/checkpointer.ts);
 * `CHECKPOINTS=sqlite` with SQLite's automatic checkpoint inside the commits instead, `CHECKPOINTS=none` with no
 * checkpoint at all, which also counts the WAL pages a batch appends. To weigh a schema change
 * before writing its migration, `SQL='create index …; drop index …'` runs on the seeded file first. Run two
 * variants in turns: this machine's noise is larger than most differences. `npm run bench` runs both variants.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCoreConfig } from '../src/config/core.js';
import { startCheckpointer } from '../src/db/checkpointer.js';
import { enableGroupCommit, openDatabase, whenDurable } from '../src/db/index.js';
import { createServiceContext } from '../src/services/context.js';
import { moveTicket } from '../src/services/tickets.js';
import { seedDatabase } from './seed.js';

const BATCH = 10;
const ROUND = 10_000;
const ROUNDS = 5;
const WARM_UP = 2_000;

export interface MoveLoopOptions {
  /**
   * Where checkpoints run: on their own thread as in the bot, inside the commits (SQLite's default), or nowhere
   * (the WAL then keeps every page, which is how they are counted).
   */
  readonly checkpoints: 'thread' | 'sqlite' | 'none';
  /** SQL run on the seeded file before the moves (a schema change to weigh). */
  readonly sql?: string;
}

export interface MoveLoopResult {
  /** µs a move in each round (its total over its moves): time the loop was held, and CPU. */
  readonly wall: readonly number[];
  readonly cpu: readonly number[];
  /**
   * How long one batch (ten moves and their commit) held the loop, in ms: the 99th percentile and the longest.
   * A checkpoint inside a commit shows here first: every request waiting on that turn waits for its fsyncs.
   */
  readonly batchMs: { readonly p99: number; readonly max: number };
  /** The size of the WAL file after the rounds, MiB. */
  readonly walMiB: number;
  /** With `checkpoints: 'none'`. */
  readonly walPagesPerBatch: number | null;
}

export async function measureMoves(options: MoveLoopOptions): Promise<MoveLoopResult> {
  const temp = mkdtempSync(join(tmpdir(), 'move-loop-'));
  const path = join(temp, 'bot.sqlite');
  seedDatabase({ path, tickets: WARM_UP + ROUND * ROUNDS, deadline: Date.parse('2099-01-01T00:00:00Z') });
  const handle = openDatabase(path);
  if (options.sql) handle.sqlite.exec(options.sql);
  enableGroupCommit(handle.db);
  const checkpointer = options.checkpoints === 'thread' ? startCheckpointer(handle) : null;
  if (options.checkpoints === 'none') handle.sqlite.pragma('wal_autocheckpoint = 0');
  const ctx = createServiceContext({ db: handle.db, config: loadCoreConfig({ DIGEST_TIME: '23:59' }) });
  const staff = { userId: 'USTAFF1', staff: true };

  let ticket = 0;
  let batches: number[] = [];
  const round = async (moves: number) => {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < moves; i += BATCH) {
      const batchStarted = performance.now();
      for (let j = 0; j < BATCH; j++) {
        moveTicket(ctx, ++ticket, { type: 'start_verification', expectedVersion: 1 }, staff);
      }
      await whenDurable(handle.db);
      batches.push(performance.now() - batchStarted);
    }
    const cpu = process.cpuUsage(cpuBefore);
    return { wall: ((performance.now() - started) * 1000) / moves, cpu: (cpu.user + cpu.system) / moves };
  };

  try {
    await round(WARM_UP);
    // The warm-up's pages go into the file, so that the next commit starts the WAL over.
    if (options.checkpoints === 'none') handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    batches = [];
    const rounds: { wall: number; cpu: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await round(ROUND));
    batches.sort((a, b) => a - b);
    const walMiB = statSync(`${path}-wal`).size / 2 ** 20;
    const [wal] = handle.sqlite.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    return {
      wall: rounds.map((r) => r.wall),
      cpu: rounds.map((r) => r.cpu),
      batchMs: {
        p99: batches[Math.floor(batches.length * 0.99)] ?? Number.NaN,
        max: batches[batches.length - 1] ?? Number.NaN,
      },
      walMiB,
      walPagesPerBatch: options.checkpoints === 'none' && wal ? wal.log / ((ROUND * ROUNDS) / BATCH) : null,
    };
  } finally {
    await checkpointer?.stop();
    handle.close();
    rmSync(temp, { recursive: true, force: true });
  }
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export const describeMoves = (values: readonly number[]) =>
  `${median(values).toFixed(1)} µs (${values.map((v) => v.toFixed(1)).join(', ')})`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measureMoves({
    checkpoints:
      process.env.CHECKPOINTS === 'sqlite' || process.env.CHECKPOINTS === 'none'
        ? process.env.CHECKPOINTS
        : 'thread',
    ...(process.env.SQL ? { sql: process.env.SQL } : {}),
  });
  // `--json`: the result alone, for npm run bench, which runs each variant in a process of its own.
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result));
  } else {
    console.log(`a move, wall: ${describeMoves(result.wall)}`);
    console.log(`a move, CPU:  ${describeMoves(result.cpu)}`);
    console.log(
      `a batch of ${BATCH}: p99 ${result.batchMs.p99.toFixed(2)} ms, longest ${result.batchMs.max.toFixed(1)} ms; WAL file ${result.walMiB.toFixed(1)} MiB`,
    );
    if (result.walPagesPerBatch !== null) {
      console.log(`WAL pages a batch of ${BATCH}: ${result.walPagesPerBatch.toFixed(1)}`);
    }
  }
}
