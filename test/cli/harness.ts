/**
 * Runs the compiled `cmd-bot` (bin/cmd-bot.js → dist/) against a database in a fresh temp folder, with a
 * clean environment, and opens the same file in-process to set up what the CLI cannot do (inject, move).
 */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import { loadCoreConfig } from '../../src/config/core.js';
import { openDatabase } from '../../src/db/index.js';
import { createServiceContext, type ServiceContext } from '../../src/services/index.js';
import { TEST_PLATFORMS, type TestClock, tempDir, testClock } from '../support/database.js';
import { AS_IS, type ProcessUser } from '../support/unprivileged.js';

const bin = fileURLToPath(new URL('../../bin/cmd-bot.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The fast loop (`npm run test:unit`) runs the command line in this process, through `main(argv)`, with its own
 * output and environment; `npm test` runs the built command, as operators do.
 */
export const IN_PROCESS = process.env.CMD_BOT_CLI_IN_PROCESS === '1';

/** For a test that needs a process of its own (a working directory, another user): `npm test` only. */
export const itSpawns = IN_PROCESS ? it.skip : it;

/** cmd-bot through `main(argv)` in this process: `env` (and PATH) as its environment, `envFile` as its `.env`. */
export async function runInProcess(
  args: readonly string[],
  env: Record<string, string>,
  envFile?: string,
): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { PATH: process.env.PATH ?? '', ...env },
    ...(envFile ? { envFile } : {}),
  });
  return { code, stdout, stderr };
}

/** Runs cmd-bot with a clean environment: PATH and `env` only; as `user` when given (see unprivileged.ts). */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  cwd?: string,
  user?: ProcessUser,
): Promise<CliResult> {
  if (IN_PROCESS && cwd === undefined && user === undefined) return runInProcess(args, env);
  const [program, programArgs] = (user ?? AS_IS).launch(process.execPath, [bin, ...args]);
  return new Promise((resolve, reject) => {
    execFile(
      program,
      programArgs,
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000, ...(cwd ? { cwd } : {}) },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

export const runCliIn = (cwd: string, args: readonly string[], env: Record<string, string>) =>
  runCli(args, env, cwd);

export interface Workspace {
  readonly dir: string;
  readonly dbPath: string;
  /** Runs cmd-bot with DATABASE_PATH set to this workspace's database (plus `env`), as `user` when given. */
  run(args: readonly string[], env?: Record<string, string>, user?: ProcessUser): Promise<CliResult>;
  /** Runs cmd-bot and parses its stdout as JSON, failing loudly when it exited non-zero. */
  json<T = unknown>(args: readonly string[]): Promise<T>;
  /** Writes a file in the workspace and returns its path. */
  file(name: string, content: string): string;
  /** Opens the database in-process, with services on a test clock, and closes it after `work`. */
  services<T>(start: string, work: (ctx: ServiceContext, clock: TestClock) => T): T;
  cleanup(): void;
}

export function workspace(): Workspace {
  const dir = tempDir('cmd-bot-cli-');
  const dbPath = join(dir, 'cmd-bot.sqlite');
  // The line that names the database opens the stderr of every command that opens it; env-file.test.ts tests
  // it, and the other tests look at what follows it.
  const run = async (args: readonly string[], env: Record<string, string> = {}, user?: ProcessUser) => {
    const result = await runCli(args, { DATABASE_PATH: dbPath, ...TEST_PLATFORMS, ...env }, undefined, user);
    return { ...result, stderr: withoutDatabaseLine(result.stderr) };
  };
  return {
    dir,
    dbPath,
    run,
    async json<T>(args: readonly string[]) {
      const result = await run(args);
      if (result.code !== 0) {
        throw new Error(`cmd-bot ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      }
      return JSON.parse(result.stdout) as T;
    },
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    services(start, work) {
      const handle = openDatabase(dbPath);
      try {
        const clock = testClock(start);
        return work(
          createServiceContext({ db: handle.db, config: loadCoreConfig(TEST_PLATFORMS), clock }),
          clock,
        );
      } finally {
        handle.close();
      }
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** stderr without its first line when that line names the database (`Database: PATH (…)`). */
export const withoutDatabaseLine = (stderr: string): string => stderr.replace(/^Database: .*\n/, '');

/** A fresh workspace for one test, removed afterwards (safe for concurrent tests). */
export async function withWorkspace<T>(work: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = workspace();
  try {
    return await work(ws);
  } finally {
    ws.cleanup();
  }
}

/** The first line of stdout: the id `submit` prints. */
export const firstLine = (text: string): string => text.split('\n')[0] ?? '';

/** A small RFC 4180 reader, to check the export's quoting from the outside. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export const ARC_CARD = {
  name: 'ARC',
  team: 'NorduGrid',
  supportEmail: 'arc-support@example.org',
  contacts: ['U0123ABCD'],
  contactChannel: 'C0456EFGH',
  platforms: ['el9/x86_64', 'el8/x86_64'],
  earlyAdopterSites: ['SITE-A'],
};

export const DCACHE_CARD = { name: 'dCache', team: 'dCache.org', platforms: ['el9/x86_64'] };

export const OPERATOR = { userId: 'UOPERATOR1', staff: true } as const;
