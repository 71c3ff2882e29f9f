/**
 * `.env`, read the same way by `npm start` and every `cmd-bot` command, so that both use one database and one
 * set of settings: what the environment sets wins, and the file fills in the rest (as Node's --env-file does).
 * dotenv's parser (quotes, comments, `export KEY=`, multi-line values) runs on every Node 20; Node's own
 * process.loadEnvFile needs 20.12.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { ConfigError, type Env } from './env.js';

/** Where `.env` is looked for: the working directory. */
export const ENV_FILE = '.env';

export interface EnvWithFile {
  /** The environment, with what the file adds. */
  readonly env: Env;
  /** The file read (absolute), or null when there is none. */
  readonly file: string | null;
  /** The keys whose value came from the file. */
  readonly fromFile: ReadonlySet<string>;
}

export function withEnvFile(env: Env, path: string = ENV_FILE): EnvWithFile {
  const file = resolve(path);
  if (!existsSync(file)) return { env, file: null, fromFile: new Set() };
  let parsed: Record<string, string>;
  try {
    parsed = parse(readFileSync(file));
  } catch (error) {
    throw new ConfigError([
      `${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  const merged: Record<string, string | undefined> = { ...env };
  const fromFile = new Set<string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (merged[key] !== undefined) continue;
    merged[key] = value;
    fromFile.add(key);
  }
  return { env: merged, file, fromFile };
}
