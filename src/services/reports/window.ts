/**
 * The report's window from what people type: two local dates (`--from`, `--to`, both included), or a month
 * (`2027-03`, by default the last full month). Days and months are the team's, in CMD_TIMEZONE.
 */
import { DateTime } from 'luxon';
import { zoneFor } from '../../domain/zones.js';
import { InvalidInputError } from '../errors.js';
import type { ReportWindow } from './figures.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

function localDay(text: string, zone: string): DateTime | null {
  if (!DATE.test(text)) return null;
  const day = DateTime.fromISO(text, { zone: zoneFor(zone) });
  return day.isValid ? day.startOf('day') : null;
}

/** From the start of `fromDay` to the end of `toDay` (the start of the next day), local time. */
export function daysWindow(fromDay: string, toDay: string, zone: string): ReportWindow {
  const from = localDay(fromDay, zone);
  const to = localDay(toDay, zone);
  const problems = [
    ...(from ? [] : [{ field: 'from', message: `--from ${fromDay} is not a date: write it YYYY-MM-DD.` }]),
    ...(to ? [] : [{ field: 'to', message: `--to ${toDay} is not a date: write it YYYY-MM-DD.` }]),
  ];
  if (!from || !to) throw new InvalidInputError(problems);
  if (from > to) {
    throw new InvalidInputError([
      { field: 'from', message: `--from ${fromDay} is after --to ${toDay}: give the earlier date first.` },
    ]);
  }
  return { from: from.toJSDate(), to: to.plus({ days: 1 }).toJSDate() };
}

/** A calendar month, `YYYY-MM`; without one, the last month that has ended at `now`. */
export function monthWindow(month: string | null, now: Date, zone: string): ReportWindow {
  let start: DateTime;
  if (month === null) {
    start = DateTime.fromJSDate(now, { zone: zoneFor(zone) })
      .startOf('month')
      .minus({ months: 1 });
  } else {
    const parsed = MONTH.test(month) ? DateTime.fromISO(`${month}-01`, { zone: zoneFor(zone) }) : null;
    if (!parsed?.isValid) {
      throw new InvalidInputError([
        { field: 'month', message: `"${month}" is not a month: write it YYYY-MM, such as 2027-03.` },
      ]);
    }
    start = parsed.startOf('month');
  }
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

/** The window's days as given on the command line: `2027-03-01` and `2027-03-31` (the last day included). */
export function windowDays(
  window: ReportWindow,
  zone: string,
): { readonly from: string; readonly to: string } {
  const day = (at: Date) => DateTime.fromJSDate(at, { zone: zoneFor(zone) }).toISODate() ?? '';
  return { from: day(window.from), to: day(new Date(window.to.getTime() - 1)) };
}

export interface MonthWindow {
  /** `2027-03` */
  readonly month: string;
  readonly window: ReportWindow;
}

/**
 * The window cut at calendar-month boundaries, in order: the chart's months. The first and last are cut to the
 * window (a report from 15 February shows February from the 15th).
 */
export function monthsOf(window: ReportWindow, zone: string): MonthWindow[] {
  const months: MonthWindow[] = [];
  let start = DateTime.fromJSDate(window.from, { zone: zoneFor(zone) }).startOf('month');
  while (start.toJSDate() < window.to) {
    const next = start.plus({ months: 1 });
    const from = start.toJSDate() < window.from ? window.from : start.toJSDate();
    const to = next.toJSDate() > window.to ? window.to : next.toJSDate();
    months.push({ month: start.toFormat('yyyy-MM'), window: { from, to } });
    start = next;
  }
  return months;
}

/** `count` months ending with the one `monthWindow` gives for `month` (by default the last month that has ended). */
export function monthsEndingWith(
  month: string | null,
  now: Date,
  zone: string,
  count: number,
): MonthWindow[] {
  const last = monthWindow(month, now, zone);
  const first = DateTime.fromJSDate(last.from, { zone: zoneFor(zone) }).minus({ months: count - 1 });
  return monthsOf({ from: first.toJSDate(), to: last.to }, zone);
}
