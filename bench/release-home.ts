/**
 * What the release train adds to the staff App Home and the daily digest (both read `staffHome`): the home built
 * with no release, then with two planned releases whose views read every ticket still on its way.
 * `npx tsx bench/release-home.ts [tickets] [rounds]` (default 10,000 tickets in open states, 7 rounds); prints
 * the median and the spread in ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCoreConfig } from '../src/config/core.js';
import { openDatabase } from '../src/db/index.js';
import { createServiceContext } from '../src/services/context.js';
import { createRelease, staffHome } from '../src/services/index.js';
import { seedDatabase } from './seed.js';

const tickets = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 7);
const dir = mkdtempSync(join(tmpdir(), 'release-home-'));
const path = join(dir, 'bench.sqlite');
seedDatabase({
  path,
  tickets,
  deadline: Date.parse('2027-04-01T00:00:00Z'),
  mixedOpenStates: { enteredAgoMs: 86_400_000 },
});
const handle = openDatabase(path);
const now = new Date('2027-03-01T09:00:00Z');
const ctx = createServiceContext({
  db: handle.db,
  config: loadCoreConfig({ PLATFORMS: 'el9/x86_64,el8/x86_64' }),
  clock: { now: () => now },
});

function measure(label: string): void {
  const times: number[] = [];
  for (let round = 0; round < rounds + 1; round++) {
    const started = performance.now();
    staffHome(ctx);
    if (round > 0) times.push(performance.now() - started); // the first warms up
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(
    `${label}: median ${median.toFixed(1)} ms (${times[0]?.toFixed(1)}–${times.at(-1)?.toFixed(1)}), ${tickets} tickets`,
  );
}

measure('staff home, no release');
const staff = { userId: 'USTAFF1', staff: true };
createRelease(ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, staff);
createRelease(ctx, { name: 'UMD-5.2.0', date: '2027-05-15' }, staff);
measure('staff home, two planned releases');
handle.close();
rmSync(dir, { recursive: true, force: true });
