/**
 * `cmd-bot`: the operators' command line. Exit codes: 0 success, 1 failure, 2 bad usage.
 * Messages go to stderr and data to stdout, so the output can be piped into other tools.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command('cmd-bot')
    .description("Runs EGI's software provisioning process (CMD and UMD) from Slack and the command line.")
    .version(version)
    .showHelpAfterError('(run cmd-bot --help for usage)')
    .exitOverride();
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
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
    process.stderr.write(`cmd-bot: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
