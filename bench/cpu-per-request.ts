/**
 * The bot's CPU for each request under load, to compare two builds (run it in each checkout, in turns):
 * `npm run build && tsx bench/cpu-per-request.ts submit|move [rounds]`. It starts `dist/main.js` as `npm run bench`
 * does, loads it for 2 s to warm up and then 8 s per round, and prints the CPU the bot's process used (all its
 * threads, from /proc) divided by the requests it answered. With PROFILE=DIR the server also writes a V8 CPU
 * profile there. With BARE=1 it loads the bare Bolt baseline instead, for the gap between the two. Requests per second
 * swing with this shared machine; CPU per request swings much less.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { botEnvironment, commandBody, load, spawnServer, startBareBolt, viewSubmissionBody } from './http.js';
import { seedDatabase } from './seed.js';

const which = process.argv[2] === 'move' ? 'move' : 'submit';
const rounds = Number(process.argv[3] ?? 3);
const temp = mkdtempSync(join(tmpdir(), 'cpu-per-request-'));
const slack = await startFakeSlack();
const path = join(temp, 'bot.sqlite');
// Each move is on a ticket of its own: enough tickets for the warm-up and the rounds at up to 4,500 moves a second.
const tickets = which === 'move' && !process.env.BARE ? Math.max(60_000, (2 + 8 * rounds) * 4_500) : 0;
if (!process.env.BARE) seedDatabase({ path, tickets, deadline: Date.parse('2099-01-01T00:00:00Z') });
const profile = process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE}`] : [];
const server = process.env.BARE
  ? await startBareBolt(undefined, profile)
  : await spawnServer([...profile, 'dist/main.js'], botEnvironment(slack.url, path), 'cmd-bot is running');

let n = 0;
const next =
  which === 'move'
    ? () =>
        viewSubmissionBody(
          'USTAFF1',
          'move',
          JSON.stringify({ s: `TKT-${++n}`, v: 1, e: 'start_verification' }),
          {},
        )
    : () =>
        commandBody(
          '/cmd-submit',
          `ARC 1.${n} https://example.org/notes/${n++} pkg-a pkg-b pkg-c`,
          'UCONTACT1',
        );

/** utime + stime of the bot's process in ms (fields 14 and 15 of /proc/PID/stat, in 10 ms ticks). */
function cpuMs(): number {
  const fields = (readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

await load(server.url, next, { seconds: 2 });
for (let round = 1; round <= rounds; round++) {
  const before = cpuMs();
  const result = await load(server.url, next, { seconds: 8 });
  const used = cpuMs() - before;
  console.log(
    `${which} round ${round}: ${Math.round((used * 1000) / result.total)} µs of bot CPU a request, ` +
      `${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99} ms, ${result.non2xx + result.errors} failed`,
  );
}
if (which === 'move' && !process.env.BARE && n > tickets) {
  console.log(`warning: ${n - tickets} moves were on tickets that do not exist (${tickets} seeded)`);
}
const methods = new Map<string, number>();
for (const call of slack.calls) methods.set(call.method, (methods.get(call.method) ?? 0) + 1);
console.log(`Web API calls: ${[...methods].map(([m, c]) => `${m} ${c}`).join(', ') || 'none'}`);
await server.stop();
await slack.close();
rmSync(temp, { recursive: true, force: true });
