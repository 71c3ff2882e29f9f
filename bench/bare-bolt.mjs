// The baseline for the HTTP benchmarks: Bolt with the same receiver and signing secret, whose listeners only
// ack, in its own process like the app. Prints its port on stdout.
import bolt from '@slack/bolt';

const receiver = new bolt.HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  endpoints: '/slack/events',
});
const app = new bolt.App({ token: 'xoxb-bench', botId: 'B0BENCH', botUserId: 'U0BENCH', receiver });
app.command(/.*/, async ({ ack }) => ack());
app.action(/.*/, async ({ ack }) => ack());
app.view(/.*/, async ({ ack }) => ack());
const server = await app.start(0);
process.stdout.write(`${JSON.stringify({ msg: 'bare bolt is running', port: server.address().port })}\n`);
process.on('SIGTERM', () => app.stop().then(() => process.exit(0)));
