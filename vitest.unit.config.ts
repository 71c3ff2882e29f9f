import { defineConfig } from 'vitest/config';

/**
 * `npm run test:unit`: the fast loop. Everything that needs no process of its own: the domain, the services on
 * real SQLite files, the Slack app in-process against the fake Web API, the outbox, and the command line through
 * its `main(argv)` in this process. Files share one module graph (no isolation), which is what makes it fast.
 * `npm test` runs all of this and the rest: the built command and app in processes of their own.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      'test/faults/crash-burst.test.ts',
      'test/faults/concurrent-migrations.test.ts',
      'test/faults/started-app.test.ts',
      'test/faults/unusable-database.test.ts',
      'test/slack/processes.test.ts',
      'test/services/processes.test.ts',
    ],
    env: { CMD_BOT_CLI_IN_PROCESS: '1' },
    testTimeout: 30_000,
    pool: 'threads',
    isolate: false,
  },
});
