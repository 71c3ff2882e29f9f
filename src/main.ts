/** `npm start`: runs the Slack app until SIGTERM or SIGINT. */
import { loadAppConfig } from './config/app.js';
import { ConfigError } from './config/env.js';
import { startCmdBot } from './server.js';

try {
  const bot = await startCmdBot(loadAppConfig());
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
  if (error instanceof ConfigError) {
    process.stderr.write(`cmd-bot cannot start. ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
