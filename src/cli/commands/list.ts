/** `cmd-bot list`: the submissions not injected yet and the tickets, security releases first. */
import type { Command } from 'commander';

export interface ListOptions {
  readonly status?: string;
  readonly overdue?: boolean;
  readonly json?: boolean;
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('List the open submissions and the tickets (security releases first).')
    .option('--status <S>', 'only this status, such as open, unverified, staged_rollout or "Staged Rollout"')
    .option('--overdue', 'only what is past its deadline now (Delayed tickets always are)')
    .option('--json', 'print the rows as JSON (times as ISO-8601 strings)')
    .action(async (options: ListOptions, command: Command) => {
      const { runList } = await import('../actions/list.js');
      await runList(options, command);
    });
}
