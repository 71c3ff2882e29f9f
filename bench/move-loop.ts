/**
 * A ticket move's database cost, without HTTP: `tsx bench/move-loop.ts`. Start verification on 52,000 seeded
 * tickets through the use case, ten to a group commit as the bot batches them under the HTTP benchmark's load,
 * then prints the median time (wall and CPU) a move over five rounds of 10,000 and how many WAL pages a batch
 * appended. The automatic checkpoint is off, as in the running bot (src/db/checkpointer.ts).
 *
 * To weigh a schema change before writing its migration, `SQL='create index …; drop index …'` runs on the
 * seeded file first. Run the two variants in turns: this machine's noise is larger than most differences.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCoreConfig } from '../src/config/core.js';
import { enableGroupCommit, openDatabase, whenDurable } from '../src/db/index.js';
import { createServiceContext } from '../src/services/context.js';
import { moveTicket } from '../src/services/tickets.js';
import { seedDatabase } from './seed.js';

const BATCH = 10;
const ROUND = 10_000;
const ROUNDS = 5;
const WARM_UP = 2_000;

const temp = mkdtempSync(join(tmpdir(), 'move-loop-'));
const path = join(temp, 'bot.sqlite');
seedDatabase({ path, tickets: WARM_UP + ROUND * ROUNDS, deadline: Date.parse('2099-01-01T00:00:00Z') });
const handle = openDatabase(path);
handle.sqlite.pragma('wal_autocheckpoint = 0');
if (process.env.SQL) handle.sqlite.exec(process.env.SQL);
enableGroupCommit(handle.db);
const ctx = createServiceContext({ db: handle.db, config: loadCoreConfig({ DIGEST_TIME: '23:59' }) });
const staff = { userId: 'USTAFF1', staff: true };

let ticket = 0;
async function round(moves: number): Promise<{ wall: number; cpu: number }> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < moves; i += BATCH) {
    for (let j = 0; j < BATCH; j++) {
      moveTicket(ctx, ++ticket, { type: 'start_verification', expectedVersion: 1 }, staff);
    }
    await whenDurable(handle.db);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: ((performance.now() - started) * 1000) / moves, cpu: (cpu.user + cpu.system) / moves };
}

await round(WARM_UP);
// Copies the warm-up's pages into the file, so that the first batch after it starts the WAL over.
handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
const rounds: { wall: number; cpu: number }[] = [];
for (let r = 0; r < ROUNDS; r++) rounds.push(await round(ROUND));
const walPages = (handle.sqlite.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]?.log ?? 0;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const figures = (values: number[]) =>
  `${median(values).toFixed(1)} µs (${values.map((v) => v.toFixed(1)).join(', ')})`;
console.log(`a move, wall: ${figures(rounds.map((r) => r.wall))}`);
console.log(`a move, CPU:  ${figures(rounds.map((r) => r.cpu))}`);
console.log(`WAL pages a batch of ${BATCH}: ${(walPages / ((ROUND * ROUNDS) / BATCH)).toFixed(1)}`);
handle.close();
rmSync(temp, { recursive: true, force: true });
