/**
 * When each limit of the process passes. Every function takes its start instant and returns a UTC instant;
 * the arithmetic happens on the configured zone's wall clock, so a month after 10:00 is 10:00 again even when
 * daylight saving time changed in between.
 */
import { DateTime, Duration } from 'luxon';
import type { WorkingCalendar } from './calendar.js';
import type { ClockKind } from './clock-kinds.js';
import { localDayOf, QUARTER_MS, zoneFor } from './zones.js';

export type TicketClock = Exclude<ClockKind, 'injection'>;

export interface ProcessRules {
  readonly timeZone: string;
  readonly calendar: WorkingCalendar;
  readonly injectionWorkingDays: number;
  readonly limits: { readonly [K in TicketClock]: Duration };
}

/** Longest run of days off we accept before concluding the calendar has no working days at all. */
const MAX_DAYS_SEARCHED = 366 * 2;

/** Working-day deadlines already counted, per calendar; a map starts over when it reaches this size. */
const MAX_REMEMBERED_DAYS = 4096;
const rememberedDeadlines = new WeakMap<WorkingCalendar, Map<string, number>>();

/**
 * The end of the n-th working day after the local day of `start`: midnight, local time, at the start of the
 * following calendar day.
 */
export function workingDaysDeadline(
  start: Date,
  workingDays: number,
  calendar: WorkingCalendar,
  zone: string,
): Date {
  // Every submission computes one of these, and the answer depends only on the local day: it is remembered
  // per calendar, zone, day and count rather than counted over the holidays again.
  const localDay = localDayOf(start, zone);
  let remembered = rememberedDeadlines.get(calendar);
  if (!remembered) {
    remembered = new Map();
    rememberedDeadlines.set(calendar, remembered);
  }
  const key = `${zone} ${localDay} ${workingDays}`;
  let deadline = remembered.get(key);
  if (deadline === undefined) {
    if (remembered.size >= MAX_REMEMBERED_DAYS) remembered.clear();
    deadline = countWorkingDays(start, localDay, workingDays, calendar, zone);
    remembered.set(key, deadline);
  }
  return new Date(deadline);
}

function countWorkingDays(
  start: Date,
  localDay: string,
  workingDays: number,
  calendar: WorkingCalendar,
  zone: string,
): number {
  // Calendar days are counted on plain dates (no zone, no DST); only the final midnight is placed in the zone.
  const day = new Date(`${localDay}T00:00:00Z`);
  let counted = 0;
  for (let searched = 0; counted < workingDays; searched++) {
    if (searched > MAX_DAYS_SEARCHED) {
      throw new RangeError(
        `No ${workingDays} working days found within two years of ${start.toISOString()}.`,
      );
    }
    day.setUTCDate(day.getUTCDate() + 1);
    if (calendar.isWorkingDay(day.toISOString().slice(0, 10))) counted++;
  }
  day.setUTCDate(day.getUTCDate() + 1);
  return DateTime.fromISO(day.toISOString().slice(0, 10), { zone: zoneFor(zone) })
    .startOf('day')
    .toMillis();
}

/**
 * `start` plus a duration on the local wall clock. Luxon ends a month on the last day of a shorter month
 * (31 Jan + 1 month = 28 or 29 Feb) and moves a wall-clock time that does not exist (the DST gap) forward.
 *
 * Every move of a ticket computes one, and luxon takes 5–9 µs for it, about 5 % of a move's CPU under load
 * (docs/performance.md, which also says why this was once removed). Within one quarter hour of starts the
 * answer is the start moved by the same amount (offsets and their changes fall on quarter hours, at the start and
 * at the end alike), so that amount is remembered per limit, zone and quarter once the quarter's first and last
 * instants agree with it; a quarter where they do not is computed every time.
 */
export function calendarDeadline(start: Date, limit: Duration, zone: string): Date {
  const ms = start.getTime();
  const quarter = Math.floor(ms / QUARTER_MS);
  const shifts = rememberedShiftsOf(limit, zone);
  const known = shifts.get(quarter);
  if (known !== undefined) return new Date(ms + known);
  const shift = luxonPlus(ms, limit, zone) - ms;
  const first = quarter * QUARTER_MS;
  const last = first + QUARTER_MS - 1;
  if (luxonPlus(first, limit, zone) - first === shift && luxonPlus(last, limit, zone) - last === shift) {
    if (shifts.size >= MAX_REMEMBERED_QUARTERS) shifts.clear();
    shifts.set(quarter, shift);
  }
  return new Date(ms + shift);
}

/** About a year of quarters per limit and zone; a map starts over when full rather than grow without end. */
const MAX_REMEMBERED_QUARTERS = 40_000;
const rememberedShifts = new WeakMap<Duration, Map<string, Map<number, number>>>();

function rememberedShiftsOf(limit: Duration, zone: string): Map<number, number> {
  let byZone = rememberedShifts.get(limit);
  if (!byZone) {
    byZone = new Map();
    rememberedShifts.set(limit, byZone);
  }
  let shifts = byZone.get(zone);
  if (!shifts) {
    shifts = new Map();
    byZone.set(zone, shifts);
  }
  return shifts;
}

function luxonPlus(ms: number, limit: Duration, zone: string): number {
  return DateTime.fromMillis(ms, { zone: zoneFor(zone) })
    .plus(limit)
    .toMillis();
}

export function deadlineFor(rules: ProcessRules, clock: ClockKind, start: Date): Date {
  if (clock === 'injection') {
    return workingDaysDeadline(start, rules.injectionWorkingDays, rules.calendar, rules.timeZone);
  }
  return calendarDeadline(start, rules.limits[clock], rules.timeZone);
}

/** ISO-8601 duration such as `P1M` or `P7D`; null when it is not one or is not longer than zero. */
export function parseLimit(text: string): Duration | null {
  const duration = Duration.fromISO(text.trim().toUpperCase());
  if (!duration.isValid) return null;
  const units = Object.values(duration.toObject()) as number[];
  if (units.some((value) => value < 0) || units.every((value) => value === 0)) return null;
  return duration;
}

/** "1 month", "7 days", "2 days 3 hours": for explanations people read. */
export function describeDuration(duration: Duration): string {
  const units = ['years', 'months', 'weeks', 'days', 'hours', 'minutes'] as const;
  const object = duration.toObject();
  // An elapsed time (how late a ticket is) is split by hand: luxon's shiftTo is slow, and the delay check
  // describes thousands of these at once.
  const values =
    object.milliseconds !== undefined && Object.keys(object).length === 1
      ? elapsedParts(object.milliseconds)
      : units.map((unit) => Math.floor(duration.get(unit)));
  const parts = units
    .map((unit, i) => [unit, values[i] ?? 0] as const)
    .filter(([, value]) => value > 0)
    .map(([unit, value]) => `${value} ${value === 1 ? unit.slice(0, -1) : unit}`);
  return parts.length > 0 ? parts.slice(0, 2).join(' ') : 'no time';
}

/** Milliseconds as [years, months, weeks, days, hours, minutes], counting only days, hours and minutes. */
function elapsedParts(ms: number): number[] {
  const minutes = Math.floor(ms / 60_000);
  return [0, 0, 0, Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
}

/**
 * When to warn ahead of a working-day deadline: the end of the working day `n` working days before the last
 * working day the deadline ends. With n = 1 and a deadline at the end of Wednesday, that is the end of Tuesday.
 */
export function workingDaysBefore(deadline: Date, n: number, calendar: WorkingCalendar, zone: string): Date {
  // The last day counted is the local day just before the deadline instant.
  let day = DateTime.fromJSDate(new Date(deadline.getTime() - 1), { zone: zoneFor(zone) }).startOf('day');
  let counted = 0;
  for (let searched = 0; counted < n; searched++) {
    if (searched > MAX_DAYS_SEARCHED)
      throw new RangeError(`No ${n} working days found before ${deadline.toISOString()}.`);
    day = day.minus({ days: 1 });
    if (calendar.isWorkingDay(day.toISODate() ?? '')) counted++;
  }
  return day.plus({ days: 1 }).startOf('day').toJSDate();
}

/**
 * No deadline later than this is within its last `n` working days at `at`, so none is due an early warning:
 * `workingDaysBefore(deadline, n) <= at` implies `deadline <= warningHorizon(at, n)`. (A later deadline falls after
 * the n-th working day after today, so today and those n days are all still ahead of it.) The bound of the
 * checker's index search; remembered per day like every working-day deadline.
 */
export function warningHorizon(at: Date, n: number, calendar: WorkingCalendar, zone: string): Date {
  return workingDaysDeadline(at, n, calendar, zone);
}

/** `start` minus a duration on the local wall clock. */
export function calendarBefore(at: Date, lead: Duration, zone: string): Date {
  return DateTime.fromJSDate(at, { zone: zoneFor(zone) })
    .minus(lead)
    .toJSDate();
}

/** "Wed 10 Mar 2027, 00:00 (Europe/Amsterdam)": for messages read outside Slack's date formatting. */
export function formatLocal(at: Date, zone: string): string {
  return `${DateTime.fromJSDate(at, { zone: zoneFor(zone) }).toFormat('ccc d LLL yyyy, HH:mm')} (${zone})`;
}
