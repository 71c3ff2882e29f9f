/**
 * What every action shares: the configuration (read once), the database (opened, and so migrated, once and
 * closed at the end), the service context on the system clock, the caller, and how failures are reported.
 * It loads the services and their dependencies, so command files import it only inside their actions.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { type CoreConfig, loadCoreConfig } from '../config/core.js';
import { ConfigError, type Env } from '../config/env.js';
import { withEnvFile } from '../config/env-file.js';
import {
  type DatabaseHandle,
  DatabaseUnusableError,
  DEFAULT_DATABASE_PATH,
  openDatabase,
} from '../db/index.js';
import {
  AppError,
  type Caller,
  createServiceContext,
  InvalidInputError,
  type ServiceContext,
  systemClock,
} from '../services/index.js';
import { CliFailure, cliEnv, cliEnvFile, say } from './io.js';

export interface Settings {
  readonly config: CoreConfig;
  /** As given (DATABASE_PATH, or the default), relative to the working directory. */
  readonly databasePath: string;
  /** Where databasePath came from, for the line that names the database. */
  readonly databaseFrom: string;
}

/**
 * Reads the configuration as `npm start` does: the environment, and `.env` for what it leaves unset. A
 * ConfigError lists every problem. An empty DATABASE_PATH means the default.
 */
export function loadSettings(): Settings {
  const envFile = cliEnvFile();
  const { env, file, fromFile } = envFile
    ? withEnvFile(cliEnv(), envFile)
    : { env: cliEnv() as Env, file: null, fromFile: new Set<string>() };
  const config = loadCoreConfig(env);
  const path = env.DATABASE_PATH?.trim();
  if (!path) {
    return {
      config,
      databasePath: DEFAULT_DATABASE_PATH,
      databaseFrom: 'the default; set DATABASE_PATH for another',
    };
  }
  return {
    config,
    databasePath: path,
    databaseFrom: fromFile.has('DATABASE_PATH') ? `DATABASE_PATH in ${file}` : 'DATABASE_PATH',
  };
}

/** The absolute path of the database, as every command that opens it names it. */
export const databaseLocation = (settings: Settings): string =>
  settings.databasePath === ':memory:' ? ':memory:' : resolve(settings.databasePath);

export interface Runtime {
  readonly settings: Settings;
  readonly handle: DatabaseHandle;
  readonly ctx: ServiceContext;
  /** The configured zone, in which local times are shown. */
  readonly timeZone: string;
}

export interface OpenRuntimeOptions {
  /** Apply pending migrations when opening (default true). */
  readonly migrate?: boolean;
  /** Fail instead of creating an empty database when the file does not exist (the commands that only read). */
  readonly mustExist?: boolean;
  /** The command only reads: a file this user cannot write is fine (a backup run by a read-only user). */
  readonly readOnly?: boolean;
  /** The settings, when the command read them already to check its arguments: `.env` is read once. */
  readonly settings?: Settings;
}

export function openRuntime(settings: Settings, options: OpenRuntimeOptions = {}): Runtime {
  const { databasePath } = settings;
  // First, so that an operator sees which file a command used, whatever follows: the bot and the CLI each read
  // DATABASE_PATH from the environment or .env, and a mismatch would otherwise show only as missing data.
  say(`Database: ${databaseLocation(settings)} (${settings.databaseFrom})`);
  if (options.mustExist && databasePath !== ':memory:' && !existsSync(databasePath)) {
    throw new CliFailure(
      `No database at ${databaseLocation(settings)}; run \`cmd-bot migrate\` or set DATABASE_PATH.`,
    );
  }
  const handle = openDatabase(databasePath, { migrate: options.migrate ?? true, write: !options.readOnly });
  try {
    const ctx = createServiceContext({ db: handle.db, config: settings.config, clock: systemClock });
    return { settings, handle, ctx, timeZone: settings.config.CMD_TIMEZONE };
  } catch (error) {
    handle.close();
    throw error;
  }
}

/** Loads the settings, opens the database, runs `work` and closes the database whatever happens. */
export async function withRuntime<T>(
  work: (runtime: Runtime) => T | Promise<T>,
  options: OpenRuntimeOptions = {},
): Promise<T> {
  const runtime = openRuntime(options.settings ?? loadSettings(), options);
  try {
    return await work(runtime);
  } finally {
    runtime.handle.close();
  }
}

/**
 * withRuntime for the commands that only read: a file this user may not write is fine for them, and a missing
 * one is an error, not a new empty database (a typo in DATABASE_PATH would otherwise show an empty process).
 */
export function withReadOnlyRuntime<T>(
  work: (runtime: Runtime) => T | Promise<T>,
  options: OpenRuntimeOptions = {},
): Promise<T> {
  return withRuntime(work, { mustExist: true, ...options, readOnly: true });
}

function localUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // A container user without a passwd entry.
    return process.env.USER || process.env.LOGNAME || 'unknown';
  }
}

/** The CLI is run by the UMD team: staff, acting for `--by` when given, else as the local user. */
export function callerFor(by: string | undefined): Caller {
  return { userId: by ?? `cli:${localUserName()}`, staff: true };
}

/** The lines to print for a failure, each prefixed `cmd-bot: `. */
export function failureLines(error: unknown): string[] {
  if (error instanceof InvalidInputError) return error.problems.map((problem) => problem.message);
  if (
    error instanceof AppError ||
    error instanceof CliFailure ||
    error instanceof ConfigError ||
    error instanceof DatabaseUnusableError
  ) {
    return error.message.split('\n');
  }
  if (error instanceof Error) {
    const lines = [`unexpected error: ${error.message}`];
    if (cliEnv().CMD_BOT_DEBUG && error.stack) lines.push(...error.stack.split('\n').slice(1));
    return lines;
  }
  return [`unexpected error: ${String(error)}`];
}

/** Prints a failure to stderr and returns the exit code 1. */
export function reportFailure(error: unknown): number {
  for (const line of failureLines(error)) say(`cmd-bot: ${line}`);
  return 1;
}
