/**
 * Numbered UMD/CMD releases (UMD 5.1.0, CMD-OS 1.4.0): their names, their cut-off, and the forecast of a
 * ticket still on its way to one. Pure.
 *
 * A release belongs to a configured distribution (`UMD-5`) and is written `UMD-5.1.0` in commands and "UMD 5.1.0"
 * in messages; its major number is the distribution's. Its contents freeze at the cut-off, RELEASE_CUTOFF before
 * the release date at the end of that day in CMD_TIMEZONE (a security release may freeze at once).
 */
import { DateTime, type Duration } from 'luxon';
import { calendarDeadline } from './deadlines.js';
import type { TicketState, TicketStatus } from './ticket-machine.js';

export const RELEASE_STATES = ['planned', 'frozen', 'published', 'cancelled'] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];

/** Tickets in these statuses go into no release any more: every other ticket is on its way to one. */
export const OFF_THE_TRAIN = [
  'rejected',
  'superseded',
  'released',
] as const satisfies readonly TicketStatus[];

export const isOnTheTrain = (status: TicketStatus): boolean =>
  !(OFF_THE_TRAIN as readonly TicketStatus[]).includes(status);

export interface ReleaseName {
  /** The configured distribution, such as UMD-5. */
  readonly distribution: string;
  /** Such as 5.1.0. */
  readonly version: string;
}

/** `UMD-5.1.0`: how commands write a release. */
export const formatReleaseName = (name: ReleaseName): string =>
  `${typeOf(name.distribution)}-${name.version}`;

/** "UMD 5.1.0": how messages say it. */
export const releaseLabel = (name: ReleaseName): string => `${typeOf(name.distribution)} ${name.version}`;

/** `UMD-5` → `UMD` and `5`; `CMD-OS-1` → `CMD-OS` and `1` (a name without a major keeps it all as its type). */
export function splitDistribution(distribution: string): { readonly type: string; readonly major: string } {
  const match = /^(.*)-(\d+)$/.exec(distribution);
  return match?.[1] && match[2] ? { type: match[1], major: match[2] } : { type: distribution, major: '' };
}

const typeOf = (distribution: string): string => splitDistribution(distribution).type;

/**
 * `UMD-5.1.0` (or `umd-5.1.0`) read against the configured distributions. The version is three numbers; its
 * major must be the distribution's (UMD-5 takes 5.x.y).
 */
export function parseReleaseName(
  text: string,
  distributions: readonly string[],
): { readonly ok: true; readonly name: ReleaseName } | { readonly ok: false; readonly message: string } {
  const match = /^(.+)-(\d{1,4})\.(\d{1,4})\.(\d{1,4})$/.exec(text.trim());
  if (!match) {
    return {
      ok: false,
      message: `"${text.trim().slice(0, 60)}" is not a release name: write the distribution and version, such as UMD-5.1.0 or CMD-OS-1.4.0.`,
    };
  }
  const [, type = '', major = '', minor = '', revision = ''] = match;
  const version = [major, minor, revision].map((part) => String(Number(part))).join('.');
  const distribution = distributions.find(
    (d) => d.toLowerCase() === `${type}-${Number(major)}`.toLowerCase(),
  );
  if (!distribution) {
    const sameType = distributions.filter((d) => typeOf(d).toLowerCase() === type.toLowerCase());
    return {
      ok: false,
      message:
        sameType.length > 0
          ? `${type} ${version} does not belong to ${sameType.join(' or ')}: the major number must be the distribution's (such as ${typeOf(sameType[0] ?? '')}-${(sameType[0] ?? '').split('-').pop()}.1.0).`
          : `${type} is not a configured distribution; the configured ones are ${distributions.join(', ')}.`,
    };
  }
  return { ok: true, name: { distribution, version } };
}

/** The day a release date names, or null; written YYYY-MM-DD. */
export function parseReleaseDate(text: string, zone: string): DateTime | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) return null;
  const day = DateTime.fromISO(text.trim(), { zone });
  return day.isValid ? day.startOf('day') : null;
}

/**
 * The cut-off: `cutoff` before the release date, at the end of that day (the next local midnight) in `zone`. A
 * security release given `immediately` freezes at `now`.
 */
export function cutoffOf(
  releaseDate: string,
  cutoff: Duration,
  zone: string,
  options: { readonly immediately?: boolean; readonly now?: Date } = {},
): Date {
  if (options.immediately && options.now) return options.now;
  const day = DateTime.fromISO(releaseDate, { zone }).startOf('day').minus(cutoff);
  return day.plus({ days: 1 }).startOf('day').toJSDate();
}

/** The stages still ahead of a ticket in `status`, in order (Ready has none). */
const STAGES_AFTER: Readonly<Partial<Record<TicketStatus, readonly TicketStatus[]>>> = {
  unverified: ['verification', 'staged_rollout'],
  verification: ['staged_rollout'],
  staged_rollout: [],
};

export type Forecast =
  | { readonly kind: 'candidate' }
  /** Every remaining limit could still end before the cut-off. */
  | { readonly kind: 'on_track'; readonly latest: Date }
  /** The remaining limits end after the cut-off: it may miss the release. */
  | { readonly kind: 'at_risk'; readonly latest: Date }
  /** Delayed or waiting for the provider: no clock says when it will be ready. */
  | { readonly kind: 'stalled' }
  /** Rejected or superseded: it will not be in a release. */
  | { readonly kind: 'out' };

/** May miss the release: its limits end after the cut-off, or no clock says when it will be Ready. */
export const isAtRisk = (forecast: Forecast): boolean =>
  forecast.kind === 'at_risk' || forecast.kind === 'stalled';

/** What each forecast means, in words (the CLI and Slack say the same). */
export const FORECAST_LABELS: { readonly [K in Forecast['kind']]: string } = {
  candidate: 'Ready',
  on_track: 'can make the cut-off',
  at_risk: 'at risk: its limits end after the cut-off',
  stalled: 'at risk: delayed or waiting for the provider',
  out: 'out',
};

/**
 * Whether a ticket can still be Ready by the cut-off: its current deadline, plus the limit of each stage after
 * this one, against the cut-off. A ticket in a stage whose limit already passed is at risk.
 */
export function forecastOf(
  state: Pick<TicketState, 'status' | 'deadline'>,
  limits: Readonly<Record<'verification' | 'staged_rollout', Duration>>,
  cutoff: Date,
  zone: string,
  now: Date,
): Forecast {
  if (state.status === 'ready') return { kind: 'candidate' };
  if (state.status === 'rejected' || state.status === 'superseded') return { kind: 'out' };
  const ahead = STAGES_AFTER[state.status];
  if (!ahead) return { kind: 'stalled' };
  let latest = state.deadline && state.deadline > now ? state.deadline : now;
  for (const stage of ahead) {
    if (stage === 'verification' || stage === 'staged_rollout') {
      latest = calendarDeadline(latest, limits[stage], zone);
    }
  }
  return latest <= cutoff ? { kind: 'on_track', latest } : { kind: 'at_risk', latest };
}
