/**
 * `cmd-bot`: the operators' command line. Exit codes: 0 success, 1 failure, 2 bad usage.
 * Messages go to stderr and data to stdout, so the output can be piped into other tools.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerBackup } from './commands/backup.js';
import { registerCheck } from './commands/check.js';
import { registerExport } from './commands/export.js';
import { registerList } from './commands/list.js';
import { registerMigrate } from './commands/migrate.js';
import { registerOutbox } from './commands/outbox.js';
import { registerProducts } from './commands/products.js';
import { registerRelease } from './commands/release.js';
import { registerReport } from './commands/report.js';
import { registerStatus } from './commands/status.js';
import { registerSubmit } from './commands/submit.js';
import { type CliIo, say, withIo, write } from './io.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function fullName(command: Command): string {
  return command.parent ? `${fullName(command.parent)} ${command.name()}` : command.name();
}

/** After a usage mistake, each command points at its own help. */
function hintAtHelp(command: Command): void {
  command.showHelpAfterError(`(run ${fullName(command)} --help for usage)`);
  for (const sub of command.commands) hintAtHelp(sub);
}

export function buildProgram(): Command {
  const program = new Command('cmd-bot')
    .description("Runs EGI's software provisioning process (CMD and UMD) from Slack and the command line.")
    .version(version)
    .showHelpAfterError('(run cmd-bot --help for usage)')
    .exitOverride()
    // Options of cmd-bot itself (--version) come before the command, so `submit --version` is submit's.
    .enablePositionalOptions()
    // Commander's own output (help, usage errors) goes where the command line's does.
    .configureOutput({ writeOut: write, writeErr: (text) => say(text) })
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 failure, 2 bad usage. Data goes to stdout, messages to stderr.\n' +
        'The database is DATABASE_PATH (default data/cmd-bot.sqlite), named on the first line of stderr. The\n' +
        'settings come from the environment and, for what it leaves unset, from .env in the working directory,\n' +
        'as for npm start (CMD_TIMEZONE, PLATFORMS, DISTRIBUTIONS, …; see the README).',
    );
  // Subcommands made with .command() inherit exitOverride and the output settings.
  registerMigrate(program);
  registerProducts(program);
  registerSubmit(program);
  registerStatus(program);
  registerList(program);
  registerCheck(program);
  registerExport(program);
  registerReport(program);
  registerRelease(program);
  registerBackup(program);
  registerOutbox(program);
  hintAtHelp(program);
  return program;
}

/** Runs one command; returns its exit code. `io` replaces the process's output and environment (tests). */
export function main(argv: readonly string[], io?: CliIo): Promise<number> {
  return withIo(io, async () => {
    const program = buildProgram();
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    try {
      await program.parseAsync([...argv], { from: 'user' });
      return 0;
    } catch (error) {
      if (error instanceof CommanderError) {
        // Help and version exit "successfully"; everything else commander reports is a usage mistake.
        return error.exitCode === 0 ? 0 : 2;
      }
      // Loaded only now: it brings in the services, which --help and usage mistakes do not need.
      const { reportFailure } = await import('./runtime.js');
      return reportFailure(error);
    }
  });
}
