/**
 * Which local calendar days are working days: not a Saturday or Sunday, not a public holiday of the configured
 * country, and not one of the extra configured dates. Holidays come from date-holidays, which keeps the rules
 * for moving feasts (Easter, King's Day on a Sunday) so we do not have to.
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

export interface WorkingCalendar {
  /** `date` is a local calendar day, `YYYY-MM-DD`. */
  isWorkingDay(date: string): boolean;
  /** The name of the holiday on that day, if any (weekends are not holidays). */
  holidayOn(date: string): string | null;
}

export function isKnownHolidayCountry(country: string): boolean {
  const countries = new Holidays().getCountries();
  return Object.hasOwn(countries, country.toUpperCase());
}

export function createWorkingCalendar(options: {
  readonly country: string | null;
  readonly extraHolidays: readonly string[];
}): WorkingCalendar {
  const holidays = options.country ? new Holidays(options.country.toUpperCase()) : null;
  const extra = new Set(options.extraHolidays);
  const byYear = new Map<number, Map<string, string>>();

  const publicHolidaysOf = (year: number): Map<string, string> => {
    let days = byYear.get(year);
    if (days) return days;
    days = new Map();
    for (const holiday of holidays?.getHolidays(year) ?? []) {
      // Only days off for everyone count: date-holidays also lists observances, school and bank holidays.
      if (holiday.type !== 'public') continue;
      const first = DateTime.fromISO(holiday.date.slice(0, 10));
      const lastDay = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / 86_400_000));
      for (let offset = 0; offset < lastDay; offset++) {
        days.set(first.plus({ days: offset }).toISODate() ?? '', holiday.name);
      }
    }
    byYear.set(year, days);
    return days;
  };

  const holidayOn = (date: string): string | null => {
    if (extra.has(date)) return 'extra holiday';
    return publicHolidaysOf(Number(date.slice(0, 4))).get(date) ?? null;
  };

  return {
    holidayOn,
    isWorkingDay(date) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday … 6 = Saturday
      return weekday !== 0 && weekday !== 6 && holidayOn(date) === null;
    },
  };
}
