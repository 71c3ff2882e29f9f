/**
 * The Slack app's settings: the core process settings plus tokens, channels and who the UMD staff are.
 * Read once at start-up; every problem is listed in one message.
 */
import { z } from 'zod';
import { DEFAULT_DATABASE_PATH } from '../db/index.js';
import { coreWithNoticesSchema, platformNamesFrom } from './core.js';
import { commaList, type Env, parseEnv } from './env.js';
import { ENV_FILE, withEnvFile } from './env-file.js';

const slackId = (key: string, example: string, prefixes: string) =>
  z.string().regex(new RegExp(`^[${prefixes}][A-Z0-9]{2,}$`), {
    message: `must be a Slack id such as ${example} (${key === 'UMD_STAFF_USERGROUP_ID' ? 'a user group' : 'from the channel details'}).`,
  });

export const appConfigSchema = coreWithNoticesSchema.extend({
  SLACK_BOT_TOKEN: z
    .string({
      message: 'is required: the Bot User OAuth Token (xoxb-…) from the app’s "OAuth & Permissions" page.',
    })
    .startsWith('xoxb-', { message: 'must be the Bot User OAuth Token, starting with xoxb-.' }),
  SLACK_SIGNING_SECRET: z
    .string({ message: 'is required: the Signing Secret from the app’s "Basic Information" page.' })
    .min(8, { message: 'looks too short; copy the Signing Secret from "Basic Information".' }),
  SLACK_APP_TOKEN: z
    .string()
    .startsWith('xapp-', {
      message: 'must be an app-level token starting with xapp- (with the connections:write scope).',
    })
    .optional()
    .describe('Turns on Socket Mode: no public URL needed.'),
  SLACK_API_URL: z
    .url({ message: 'must be a URL such as https://slack.com/api/.' })
    .transform((url) => (url.endsWith('/') ? url : `${url}/`))
    .optional()
    .describe('Base URL of the Slack Web API, for proxies and tests.'),
  PORT: z.coerce
    .number({ message: 'must be a port number.' })
    .int()
    .min(0)
    .max(65_535, { message: 'must be a port number up to 65535.' })
    .default(3000),
  DATABASE_PATH: z.string().default(DEFAULT_DATABASE_PATH),
  UMD_CHANNEL_ID: slackId('UMD_CHANNEL_ID', 'C0123ABCD', 'CG').optional(),
  EARLY_ADOPTERS_CHANNEL_ID: slackId('EARLY_ADOPTERS_CHANNEL_ID', 'C0123ABCD', 'CG').optional(),
  UMD_STAFF_USER_IDS: commaList.default([]).pipe(
    z.array(
      z.string().regex(/^[UW][A-Z0-9]{2,}$/, {
        message: 'must be Slack user ids such as U0123ABCD, comma-separated.',
      }),
    ),
  ),
  UMD_STAFF_USERGROUP_ID: slackId('UMD_STAFF_USERGROUP_ID', 'S0123ABCD', 'S').optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  SLACK_API_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  METRICS: z
    .enum(['true', 'false'], { message: 'must be true or false.' })
    .default('true')
    .transform((value) => value === 'true')
    .describe('Serve Prometheus metrics at GET /metrics on PORT; false answers it 404.'),
});

export type AppConfig = Readonly<z.infer<typeof appConfigSchema>>;

/**
 * `.env` in the working directory fills in what the environment leaves unset (env-file.ts), as for the CLI.
 * An environment given explicitly (tests) is taken as it is.
 */
export function loadAppConfig(env: Env = process.env, envFile = ENV_FILE): AppConfig {
  const config = parseEnv(appConfigSchema, env === process.env ? withEnvFile(env, envFile).env : env);
  platformNamesFrom(config); // refuses aliases that name no configured platform, at start-up
  return config;
}
