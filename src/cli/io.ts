/**
 * The light helpers every command file may load up front: output, usage errors, argument parsers and file
 * reading. Nothing here touches the configuration, the database or the services, so `--help` and usage
 * mistakes stay fast; the actions load those on demand (see runtime.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
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

/**
 * Where a command writes and which environment it reads: the process's own, or, for a command run in-process
 * (the tests' fast loop), one given to `main`. Every output of the command line goes through here.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** The `.env` file that fills in what `env` leaves unset (as for `npm start`); none when not given. */
  readonly envFile?: string;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  envFile: '.env',
};
/** Per command run (async context), so that commands run at the same time in one process keep their own. */
const runs = new AsyncLocalStorage<CliIo>();
const io = (): CliIo => runs.getStore() ?? processIo;

/** Runs `work` with `next` as the command line's output and environment. */
export function withIo<T>(next: CliIo | undefined, work: () => Promise<T>): Promise<T> {
  return next ? runs.run(next, work) : work();
}

/** The environment the command reads its settings from (without what `.env` adds: see runtime.ts). */
export const cliEnv = (): NodeJS.ProcessEnv => io().env;
/** The `.env` file of this run, if any. */
export const cliEnvFile = (): string | undefined => io().envFile;
/** Text to stdout as it is (a CSV file). */
export const write = (text: string): void => io().stdout(text);
/** A line of data to stdout. */
export const out = (text: string): void => io().stdout(text.endsWith('\n') ? text : `${text}\n`);
/** A line for the person to stderr. */
export const say = (text: string): void => io().stderr(text.endsWith('\n') ? text : `${text}\n`);
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
