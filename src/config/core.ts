/**
 * The process settings every part of cmd-bot shares: time zone, holidays, limits, platforms and distributions.
 */
import { DateTime, type Duration, IANAZone } from 'luxon';
import { z } from 'zod';
import { createWorkingCalendar, isKnownHolidayCountry } from '../domain/calendar.js';
import { type ProcessRules, parseLimit } from '../domain/deadlines.js';
import { commaList, type Env, parseEnv } from './env.js';

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
    .default(['el9/x86_64', 'el8/x86_64', 'ubuntu22/amd64'])
    .pipe(
      z
        .array(
          z.string().regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, {
            message: 'must be a list of platform/architecture pairs such as el9/x86_64.',
          }),
        )
        .min(1, { message: 'must list at least one platform/architecture pair.' }),
    )
    .describe('Platform/architecture pairs a release may target; one ticket is made for each chosen.'),
  DISTRIBUTIONS: commaList
    .default(['UMD-5', 'CMD-OS-1', 'CMD-ONE-1'])
    .pipe(z.array(z.string().regex(/^\S+$/)).min(1, { message: 'must list at least one distribution.' }))
    .describe('Distributions a release may go to; the first is the default.'),
});

export type CoreConfig = Readonly<z.infer<typeof coreConfigSchema>>;

export function loadCoreConfig(env: Env = process.env): CoreConfig {
  return parseEnv(coreConfigSchema, env);
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
