/**
 * The light helpers every command file may load up front: output, usage errors, argument parsers and file
 * reading. Nothing here touches the configuration, the database or the services, so `--help` and usage
 * mistakes stay fast; the actions load those on demand (see runtime.ts).
 */
import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { isSlackUserId } from '../domain/ids.js';

/** A failure the command line itself found (a file it cannot read, a backup it will not overwrite): exit 1. */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

export const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};
export const say = (text: string): void => {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
};
export const printJson = (value: unknown): void => out(JSON.stringify(value, null, 2));

/** A mistake in how the command was called: reported like commander's own errors, exit 2. */
export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: 2, code: 'cmd-bot.usage' });
  // command.error always throws (exitOverride) or exits; this line is for the type checker.
  throw new Error(message);
}

/** Commander parser for `--by USER_ID`: a bad id is a usage mistake (exit 2). */
export function parseSlackUser(value: string): string {
  const id = value.trim();
  if (!isSlackUserId(id)) {
    throw new InvalidArgumentError('Give the Slack user id of the person, such as U0123ABCD.');
  }
  return id;
}

/** Reads a text file the operator named, with a plain message when it cannot be read. */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : error instanceof Error
              ? error.message
              : String(error);
    throw new CliFailure(`Cannot read the ${what} ${path}: ${why}.`);
  }
}
