/**
 * The process settings every part of cmd-bot shares: time zone, holidays, limits, platforms and distributions.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DateTime, type Duration, IANAZone } from 'luxon';
import { z } from 'zod';
import { createWorkingCalendar, isKnownHolidayCountry } from '../domain/calendar.js';
import { type ProcessRules, parseLimit } from '../domain/deadlines.js';
import { type PlatformNames, parsePlatformAliases } from '../domain/platforms.js';
import { DEFAULT_QC_CRITERIA, parseQcCriteria, type QcCriterion } from '../domain/quality-criteria.js';
import { ConfigError, commaList, type Env, parseEnv } from './env.js';

const limit = (key: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx): Duration => {
      const duration = parseLimit(text);
      if (duration) return duration;
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not an ISO-8601 duration longer than zero; write it like P1M, P7D or PT36H (default ${fallback}).`,
      });
      return z.NEVER;
    })
    .describe(`${key}: how long a ticket may stay in that status, as an ISO-8601 duration.`);

/** A duration for a warning lead; `P0D` turns that warning off. */
const limitOrZero = (key: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx): Duration | null => {
      if (/^P(T)?0[DHMSW]?$/i.test(text.trim())) return null;
      const duration = parseLimit(text);
      if (duration) return duration;
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not an ISO-8601 duration; write it like P3D or PT12H (P0D turns it off; default ${fallback}).`,
      });
      return z.NEVER;
    })
    .describe(`${key}: an ISO-8601 duration, or P0D for none.`);

/**
 * A list the Slack forms offer as options (platforms, distributions). Each name comes back as the chosen
 * option's value, which Slack cuts at 75 characters, and a select holds at most 100 options (SLACK-NOTES.md):
 * a longer name could never be chosen, and a longer list could not be offered whole.
 */
const formChoices = (what: string, name: z.ZodString) =>
  z
    .array(
      name.max(75, {
        message: 'must be at most 75 characters each, the longest choice a Slack form sends back.',
      }),
    )
    .max(100, { message: `must list at most 100 ${what}, the most a Slack form offers.` });

/** The quality criteria Verification checks, and the file they came from (null: the built-in list). */
export interface QcCriteriaSetting {
  readonly file: string | null;
  readonly criteria: readonly QcCriterion[];
}

/** Reads the criteria file named by `QC_CRITERIA_FILE` (relative to the working directory, like `.env`). */
const qcCriteriaFile = z
  .string()
  .optional()
  .transform((path, ctx): QcCriteriaSetting => {
    if (path === undefined) return { file: null, criteria: DEFAULT_QC_CRITERIA };
    const file = resolve(path);
    const refuse = (problem: string) => {
      ctx.addIssue({ code: 'custom', message: `${file}: ${problem}` });
      return z.NEVER;
    };
    let content: unknown;
    try {
      content = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return refuse(error instanceof SyntaxError ? `is not JSON: ${reason}` : `cannot be read: ${reason}`);
    }
    const parsed = parseQcCriteria(content);
    return parsed.ok ? { file, criteria: parsed.criteria } : refuse(parsed.problem);
  })
  .describe(
    'A JSON file of the quality criteria Verification checks (deploy/qc-criteria.json is the built-in list).',
  );

export const coreConfigSchema = z.object({
  CMD_TIMEZONE: z
    .string()
    .default('Europe/Amsterdam')
    .refine((zone) => IANAZone.isValidZone(zone), {
      message: 'is not an IANA time zone; use a name such as Europe/Amsterdam or UTC.',
    })
    .describe('Time zone in which working days, months and digests are counted.'),
  HOLIDAY_COUNTRY: z
    .string()
    .default('NL')
    .refine(isKnownHolidayCountry, {
      message: 'is not a country code known to date-holidays; use e.g. NL, DE or IT.',
    })
    .describe('ISO 3166 country whose public holidays are not working days.'),
  EXTRA_HOLIDAYS: commaList
    .default([])
    .pipe(
      z.array(
        z.string().refine((day) => /^\d{4}-\d{2}-\d{2}$/.test(day) && DateTime.fromISO(day).isValid, {
          message: 'must be a list of dates written YYYY-MM-DD, separated by commas.',
        }),
      ),
    )
    .describe('Extra days off, comma-separated YYYY-MM-DD.'),
  INJECTION_WORKING_DAYS: z.coerce
    .number({ message: 'must be a whole number of working days, such as 5.' })
    .int({ message: 'must be a whole number of working days, such as 5.' })
    .min(1, { message: 'must be at least 1 working day.' })
    .max(60, { message: 'must be at most 60 working days.' })
    .default(5)
    .describe('Working days the UMD team has to inject a submission.'),
  UNVERIFIED_LIMIT: limit('UNVERIFIED_LIMIT', 'P1M'),
  VERIFICATION_LIMIT: limit('VERIFICATION_LIMIT', 'P7D'),
  STAGED_ROLLOUT_LIMIT: limit('STAGED_ROLLOUT_LIMIT', 'P1M'),
  PLATFORMS: commaList
    .default(['al9/x86_64'])
    .pipe(
      formChoices(
        'platforms',
        z.string().regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, {
          message: 'must be a list of platform/architecture pairs such as al9/x86_64.',
        }),
      ).min(1, { message: 'must list at least one platform/architecture pair.' }),
    )
    .describe('Platform/architecture pairs a release may target; one ticket is made for each chosen.'),
  PLATFORM_ALIASES: commaList
    .optional()
    .describe(
      'Other names for configured platforms, alias=platform separated by commas (el9=al9, el9/x86_64=al9/x86_64).',
    ),
  DISTRIBUTIONS: commaList
    .default(['UMD-5', 'CMD-OS-1', 'CMD-ONE-1'])
    .pipe(
      formChoices('distributions', z.string().regex(/^\S+$/)).min(1, {
        message: 'must list at least one distribution.',
      }),
    )
    .describe('Distributions a release may go to; the first is the default.'),
  QC_CRITERIA_FILE: qcCriteriaFile,
});

/** Who hears what, and when: the delay checker's notice policy. */
export const noticeConfigSchema = z.object({
  CHECK_SCHEDULE: z
    .string()
    .default('*/15 * * * *')
    .refine((cron) => /^\S+(\s+\S+){4,5}$/.test(cron.trim()), {
      message: 'must be a cron expression with 5 or 6 fields, such as */15 * * * * (every 15 minutes).',
    })
    .describe('When the delay check runs (cron, in UTC); it also runs once at start-up.'),
  DELAY_NOTICE_HOLD_HOURS: z.coerce
    .number({ message: 'must be a number of hours, such as 4.' })
    .min(0, { message: 'must be 0 or more hours.' })
    .max(72, { message: 'must be at most 72 hours.' })
    .default(4)
    .describe('How long staff have to explain a delay before the product team is told.'),
  WARNING_LEAD_INJECTION_WORKING_DAYS: z.coerce
    .number({ message: 'must be a whole number of working days, such as 1.' })
    .int({ message: 'must be a whole number of working days, such as 1.' })
    .min(0)
    .max(30)
    .default(1),
  WARNING_LEAD: limitOrZero('WARNING_LEAD', 'P3D'),
  EA_SILENCE_WARNING: limitOrZero('EA_SILENCE_WARNING', 'P7D'),
  WAITING_REMINDER: limitOrZero('WAITING_REMINDER', 'P14D'),
  DIGEST_TIME: z
    .string()
    .default('09:00')
    .refine((time) => /^([01]\d|2[0-3]):[0-5]\d$/.test(time), {
      message: 'must be a local time written HH:MM, such as 09:00.',
    }),
  INDIVIDUAL_WARNINGS: z
    .enum(['true', 'false'], { message: 'must be true or false.' })
    .default('true')
    .transform((value) => value === 'true'),
  RELEASE_CUTOFF: limit('RELEASE_CUTOFF', 'P7D').describe(
    'How long before a release date its contents freeze (at the end of that day), as an ISO-8601 duration.',
  ),
  RELEASE_WARNING: limitOrZero('RELEASE_WARNING', 'P14D'),
  OUTBOX_MAX_ATTEMPTS: z.coerce
    .number({ message: 'must be a whole number, such as 8.' })
    .int()
    .min(1)
    .max(100)
    .default(8),
});

export const coreWithNoticesSchema = coreConfigSchema.extend(noticeConfigSchema.shape);

export type CoreConfig = Readonly<z.infer<typeof coreWithNoticesSchema>>;

export function loadCoreConfig(env: Env = process.env): CoreConfig {
  const config = parseEnv(coreWithNoticesSchema, env);
  platformNamesFrom(config); // refuses aliases that name no configured platform, at start-up
  return config;
}

/**
 * What people and descriptors write for UMD 5's platforms. Unless PLATFORM_ALIASES says otherwise, these name
 * whichever of them PLATFORMS configures (the others are left out, so that a site that keeps el9/x86_64
 * configured is not refused for the aliases it does not use).
 */
const DEFAULT_PLATFORM_ALIASES = [
  'el9=al9',
  'alma9=al9',
  'almalinux9=al9',
  'rocky9=al9',
  'rhel9=al9',
  'centos9=al9',
] as const;

export function platformNamesFrom(config: Pick<CoreConfig, 'PLATFORMS' | 'PLATFORM_ALIASES'>): PlatformNames {
  const given = config.PLATFORM_ALIASES;
  const { aliases, problems } = parsePlatformAliases(given ?? DEFAULT_PLATFORM_ALIASES, config.PLATFORMS);
  if (given !== undefined && problems.length > 0) {
    throw new ConfigError(problems.map((problem) => `PLATFORM_ALIASES: ${problem}`));
  }
  return { platforms: config.PLATFORMS, aliases };
}

export function processRulesFrom(config: CoreConfig): ProcessRules {
  return {
    timeZone: config.CMD_TIMEZONE,
    calendar: createWorkingCalendar({
      country: config.HOLIDAY_COUNTRY,
      extraHolidays: config.EXTRA_HOLIDAYS,
    }),
    injectionWorkingDays: config.INJECTION_WORKING_DAYS,
    limits: {
      unverified: config.UNVERIFIED_LIMIT,
      verification: config.VERIFICATION_LIMIT,
      staged_rollout: config.STAGED_ROLLOUT_LIMIT,
    },
  };
}
