/**
 * Starts cmd-bot from a production install (`tsx .ci/production-smoke.ts DIR`, DIR holding what the Dockerfile's
 * run stage copies: package.json, node_modules without dev dependencies, dist, drizzle, bin) and uses it as an
 * operator would, following the README: the CLI imports the products from .env's database, the bot answers
 * /healthz and a /cmd-submit, `cmd-bot backup` copies the live database, and the README's restore sequence
 * brings that copy back. Exits 1 with what failed. The fake Slack Web API comes from this checkout's tests.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET } from '../test/support/bot.js';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { postToSlackApp, slashCommandBody } from '../test/support/slack-requests.js';

const install = process.argv[2];
if (!install || !existsSync(join(install, 'dist/main.js'))) {
  console.error('usage: tsx .ci/production-smoke.ts DIR (DIR/dist/main.js must exist)');
  process.exit(2);
}
const slack = await startFakeSlack();
const home = mkdtempSync(join(tmpdir(), 'cmd-bot-production-'));
const database = join(home, 'cmd-bot.sqlite');
// The operator's .env, in the directory both npm start and the CLI run from.
writeFileSync(
  join(home, '.env'),
  [
    'SLACK_BOT_TOKEN=xoxb-production-smoke',
    `SLACK_SIGNING_SECRET=${SECRET}`,
    `SLACK_API_URL=${slack.url}`,
    'PORT=0',
    `DATABASE_PATH=${database}`,
    'UMD_CHANNEL_ID=C0UMD',
    'UMD_STAFF_USER_IDS=USTAFF1',
    'DIGEST_TIME=23:59',
    '',
  ].join('\n'),
);
writeFileSync(
  join(home, 'products.json'),
  JSON.stringify([{ name: 'ARC', contacts: ['UCONTACT1'], platforms: ['el9/x86_64'] }]),
);
const env = { PATH: process.env.PATH ?? '', HOME: home };

function cli(...args: string[]): string {
  return execFileSync(process.execPath, [join(install as string, 'bin/cmd-bot.js'), ...args], {
    cwd: home,
    env,
    encoding: 'utf8',
  });
}

/** `npm start` as the systemd unit runs it: node dist/main.js in the working directory that holds .env. */
async function startBot(): Promise<{ child: ChildProcess; url: string; base: string; log: string }> {
  const child = spawn(process.execPath, [join(install as string, 'dist/main.js')], {
    cwd: home,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 20 s:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /"port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return { child, url: `${base}/slack/events`, base, log: output };
}

function stopBot(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function check(what: string, ok: boolean, detail: unknown = ''): void {
  if (!ok) throw new Error(`${what}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
  console.log(`ok  ${what}`);
}

const submit = (url: string, version: string) =>
  postToSlackApp(
    url,
    SECRET,
    slashCommandBody({
      command: '/cmd-submit',
      text: `ARC ${version} https://example.org/notes/${version} nordugrid-arc`,
      user_id: 'UCONTACT1',
      response_url: slack.responseUrl('smoke'),
    }),
  );

try {
  cli('migrate');
  cli('products', 'import', 'products.json');
  check('the CLI imported the products into .env’s database', cli('products', 'list').includes('ARC'));

  let bot = await startBot();
  check(
    'the bot logs the database the CLI named',
    bot.log.includes(`"database":${JSON.stringify(database)}`),
    bot.log,
  );
  const health = await fetch(`${bot.base}/healthz`);
  check('GET /healthz answers 200', health.status === 200, await health.text());
  const first = await submit(bot.url, '7.0.0');
  check('/cmd-submit is acknowledged', first.status === 200, first);
  await slack.waitFor((calls) => calls.some((call) => call.method === 'chat.postMessage'), 10_000);
  check('the submission card is posted to Slack', true);

  cli('backup', join(home, 'backup.sqlite'));
  const second = await submit(bot.url, '7.0.1');
  check('a second release is acknowledged after the backup', second.status === 200, second);
  await stopBot(bot.child);

  // The README's restore: stop the bot, put the copy in place of the database and its WAL, start again.
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
  execFileSync('cp', [join(home, 'backup.sqlite'), database]);
  bot = await startBot();
  const listed = cli('list', '--json');
  check(
    'after the restore the database holds what the backup held',
    listed.includes('7.0.0') && !listed.includes('7.0.1'),
    listed,
  );
  const again = await fetch(`${bot.base}/healthz`);
  check('the restored bot answers /healthz with 200', again.status === 200, await again.text());
  await stopBot(bot.child);
  console.log('production install: the bot and the CLI work');
} catch (error) {
  console.error(`production install FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await slack.close();
  rmSync(home, { recursive: true, force: true });
}
