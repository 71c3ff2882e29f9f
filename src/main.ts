/** `npm start`: runs the Slack app until SIGTERM or SIGINT. */
import { loadAppConfig } from './config/app.js';
import { ConfigError } from './config/env.js';
import { startCmdBot } from './server.js';

try {
  const bot = await startCmdBot(loadAppConfig());
  // A library promise that rejects with nobody listening (a malformed request Bolt did not expect) is logged;
  // it must not take the whole bot down.
  process.on('unhandledRejection', (reason) => bot.logger.error({ err: reason }, 'unhandled rejection'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      bot.logger.info({ signal }, 'stopping');
      bot.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          bot.logger.error({ err: error }, 'stopped with an error');
          process.exit(1);
        },
      );
    });
  }
} catch (error) {
  // A configuration problem lists every key to fix; anything else says what failed.
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`cmd-bot cannot start. ${message}\n`);
  process.exit(1);
}
