/** Pure helpers for the human-readable output: times in UTC and in the team's zone, and aligned tables. */
import { DateTime } from 'luxon';
import { formatInstant } from '../domain/machine.js';

const NONE = '-';

/** `2027-03-10 23:00 UTC`, or `-` when there is no time. */
export function utcTime(at: Date | null | undefined): string {
  return at ? formatInstant(at) : NONE;
}

/** `2027-03-11 00:00 Europe/Amsterdam`, or `-`. */
export function localTime(at: Date | null | undefined, zone: string): string {
  if (!at) return NONE;
  return `${DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm')} ${zone}`;
}

/** Both, as the status view shows a deadline: `2027-03-10 23:00 UTC (2027-03-11 00:00 Europe/Amsterdam)`. */
export function bothTimes(at: Date | null | undefined, zone: string): string {
  if (!at) return NONE;
  return zone === 'UTC' ? utcTime(at) : `${utcTime(at)} (${localTime(at, zone)})`;
}

/** ISO-8601 with the zone's offset, for JSON: `2027-03-11T00:00:00.000+01:00`. */
export function localIso(at: Date | null | undefined, zone: string): string | null {
  if (!at) return null;
  return DateTime.fromJSDate(at, { zone }).toISO();
}

const cell = (value: string | null | undefined): string =>
  value === null || value === undefined || value === '' ? NONE : value.replace(/\s*\n\s*/g, ' ');

/** Columns padded to their widest cell, two spaces apart, no trailing spaces. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly (string | null | undefined)[])[],
): string {
  const cells = [headers.map((header) => header), ...rows.map((row) => headers.map((_, i) => cell(row[i])))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((value, i) => (i === row.length - 1 ? value : value.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `a, b, c`, or `-` for an empty list. */
export const listText = (items: readonly string[]): string => (items.length === 0 ? NONE : items.join(', '));

export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

/** Every line two spaces in. */
export const indent = (text: string): string =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
