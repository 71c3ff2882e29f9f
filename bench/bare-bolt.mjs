// The baseline for the HTTP benchmarks, as issue 6 defines it: a bare Bolt app (Bolt's own HTTPReceiver, the same
// signing secret, botId/botUserId set) whose listeners only ack, in its own process like the app. cmd-bot runs
// its own receiver (src/slack/receiver.ts) in front of Bolt's App; the baseline keeps Bolt's. Prints its port
// on stdout.
//
// With BARE_DATABASE_PATH set, each listener first commits one row to SQLite (WAL, synchronous NORMAL, as the
// bot), one commit per request: what any app that makes a request durable before acking it pays at the least.
// The benchmark reports it beside the targets, for context; the targets compare with the plain baseline.
import bolt from '@slack/bolt';
import Database from 'better-sqlite3';

const receiver = new bolt.HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  endpoints: '/slack/events',
});
const app = new bolt.App({ token: 'xoxb-bench', botId: 'B0BENCH', botUserId: 'U0BENCH', receiver });

let remember = () => {};
if (process.env.BARE_DATABASE_PATH) {
  const db = new Database(process.env.BARE_DATABASE_PATH);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'create table if not exists requests (id integer primary key, body text not null, at integer not null)',
  );
  const insert = db.prepare('insert into requests (body, at) values (?, ?)');
  remember = (body) => insert.run(JSON.stringify(body), Date.now());
}

app.command(/.*/, async ({ ack, command }) => {
  remember(command);
  await ack();
});
app.action(/.*/, async ({ ack, body }) => {
  remember(body);
  await ack();
});
app.view(/.*/, async ({ ack, view }) => {
  remember(view);
  await ack();
});
const server = await app.start(0);
process.stdout.write(`${JSON.stringify({ msg: 'bare bolt is running', port: server.address().port })}\n`);
process.on('SIGTERM', () => app.stop().then(() => process.exit(0)));
