/**
 * Helpers for reading configuration from the environment with zod. An empty value means "unset", so that a
 * `.env` line such as `EXTRA_HOLIDAYS=` falls back to the default instead of failing.
 */
import { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

export function unsetWhenEmpty(env: Env): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value?.trim() === '' ? undefined : value]),
  );
}

export const commaList = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(
      `The configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Parses with every problem listed at once, each naming its key. */
export function parseEnv<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  const result = schema.safeParse(unsetWhenEmpty(env));
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const key = issue.path.join('.');
      return key ? `${key}: ${issue.message}` : issue.message;
    }),
  );
}
