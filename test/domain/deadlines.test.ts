import fc from 'fast-check';
import { DateTime, Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import { loadCoreConfig, processRulesFrom } from '../../src/config/core.js';
import { createWorkingCalendar } from '../../src/domain/calendar.js';
import {
  calendarDeadline,
  deadlineFor,
  describeDuration,
  parseLimit,
  warningHorizon,
  workingDaysBefore,
  workingDaysDeadline,
} from '../../src/domain/deadlines.js';
import { createTicketMachine } from '../../src/domain/ticket-machine.js';
import { localDayOf } from '../../src/domain/zones.js';

const ZONE = 'Europe/Amsterdam';
const rules = processRulesFrom(loadCoreConfig({}));
/** A wall-clock time in Amsterdam, as the table writes it. */
const amsterdam = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toJSDate();
const utc = (iso: string) => new Date(iso);

describe('the limits, with the default configuration (the issue table)', () => {
  it.each([
    ['injection', 'submitted Wed 2027-03-03 14:00', '2027-03-03T14:00', '2027-03-10T23:00Z'],
    ['injection, weekend', 'submitted Sat 2027-03-06 11:00', '2027-03-06T11:00', '2027-03-12T23:00Z'],
    [
      "injection over King's Day (Tue 27 Apr)",
      'submitted Fri 2027-04-23 09:00',
      '2027-04-23T09:00',
      '2027-05-03T22:00Z',
    ],
    [
      'injection over Easter Monday and DST start',
      'submitted Thu 2027-03-25 10:00',
      '2027-03-25T10:00',
      '2027-04-02T22:00Z',
    ],
  ])('when %s (%s), then injection is due %s', (_case, _input, local, expected) => {
    expect(deadlineFor(rules, 'injection', amsterdam(local))).toEqual(utc(expected));
  });

  it('when 2027-03-09 is an extra holiday (submitted Wed 2027-03-03 14:00), then injection is due 2027-03-11T23:00Z', () => {
    const withExtra = processRulesFrom(loadCoreConfig({ EXTRA_HOLIDAYS: '2027-03-09' }));
    expect(deadlineFor(withExtra, 'injection', amsterdam('2027-03-03T14:00'))).toEqual(
      utc('2027-03-11T23:00Z'),
    );
  });

  it.each([
    ['Unverified, month end', 'unverified', '2027-01-31T10:00', '2027-02-28T09:00Z'],
    ['Unverified, leap year', 'unverified', '2028-01-31T10:00', '2028-02-29T09:00Z'],
    ['Unverified, DST end', 'unverified', '2027-10-15T10:00', '2027-11-15T09:00Z'],
    ['Verification, DST start', 'verification', '2027-03-25T10:00', '2027-04-01T08:00Z'],
  ] as const)('when %s (entered %s), then it is due %s', (_case, clock, local, expected) => {
    expect(deadlineFor(rules, clock, amsterdam(local))).toEqual(utc(expected));
  });

  it('when Verification (entered Mon 2027-03-01 10:00) is paused Wed 03-03 10:00 → Fri 03-05 10:00, then it is due 2027-03-10T09:00Z', () => {
    const machine = createTicketMachine(rules);
    const staff = { id: 'USTAFF', roles: ['staff'] as const };
    const unverified = machine.initialState(amsterdam('2027-02-22T10:00'));
    const started = machine.transition(
      unverified,
      { type: 'start_verification', expectedVersion: 1 },
      staff,
      amsterdam('2027-03-01T10:00'),
    );
    if (started.outcome !== 'applied') throw new Error('expected verification to start');
    const paused = machine.transition(
      started.state,
      { type: 'wait_for_provider', expectedVersion: 2, needed: 'the el9 build' },
      staff,
      amsterdam('2027-03-03T10:00'),
    );
    if (paused.outcome !== 'applied') throw new Error('expected the ticket to wait');
    const resumed = machine.transition(
      paused.state,
      { type: 'resume', expectedVersion: 3 },
      staff,
      amsterdam('2027-03-05T10:00'),
    );

    expect(resumed.outcome).toBe('applied');
    expect(resumed.state.status).toBe('verification');
    expect(resumed.state.deadline).toEqual(utc('2027-03-10T09:00Z'));
    expect(resumed.state.pausedMs).toBe(2 * 24 * 3600 * 1000);
  });
});

describe('working days', () => {
  const nl = createWorkingCalendar({ country: 'NL', extraHolidays: [] });

  it('when a day is a Saturday, Sunday or public holiday, then it is not a working day', () => {
    expect(nl.isWorkingDay('2027-03-06')).toBe(false); // Saturday
    expect(nl.isWorkingDay('2027-03-07')).toBe(false); // Sunday
    expect(nl.isWorkingDay('2027-04-27')).toBe(false); // King's Day
    expect(nl.holidayOn('2027-04-27')).toBe('Koningsdag');
    expect(nl.isWorkingDay('2027-12-25')).toBe(false); // Christmas, a Saturday anyway
    expect(nl.isWorkingDay('2027-03-08')).toBe(true);
  });

  it('when a holiday is only an observance, school or bank holiday (Good Friday, Liberation Day 2027), then it is a working day', () => {
    expect(nl.isWorkingDay('2027-03-26')).toBe(true); // Goede Vrijdag: "school" in date-holidays
    expect(nl.isWorkingDay('2027-05-05')).toBe(true); // Bevrijdingsdag: not every year a day off
    expect(nl.isWorkingDay('2027-05-04')).toBe(true); // Remembrance day: an observance
  });

  it('when a submission comes in over Christmas and New Year, then those days are skipped', () => {
    // Thu 2027-12-23 → Fri 24 (1), Mon 27 (2), Tue 28 (3), Wed 29 (4), Thu 30 (5); 25, 26 fall on a weekend.
    expect(workingDaysDeadline(amsterdam('2027-12-23T16:00'), 5, nl, ZONE)).toEqual(utc('2027-12-30T23:00Z'));
    // Wed 2027-12-29 → Thu 30 (1), Fri 31 (2), Mon 3 Jan (3), Tue 4 (4), Wed 5 (5); 1 Jan is a Saturday.
    expect(workingDaysDeadline(amsterdam('2027-12-29T16:00'), 5, nl, ZONE)).toEqual(utc('2028-01-05T23:00Z'));
  });

  it('when a submission arrives at 00:30 Amsterdam (still the previous day in UTC), then the local day counts', () => {
    // Tue 2027-03-02 00:30 local is Mon 2027-03-01 23:30 UTC: counting starts after Tuesday, not Monday.
    expect(workingDaysDeadline(amsterdam('2027-03-02T00:30'), 1, nl, ZONE)).toEqual(utc('2027-03-03T23:00Z'));
  });

  it('when the time zone is another, then the day ends at that zone’s midnight', () => {
    const noHolidays = createWorkingCalendar({ country: null, extraHolidays: [] });
    expect(workingDaysDeadline(utc('2027-03-03T14:00Z'), 1, noHolidays, 'America/New_York')).toEqual(
      utc('2027-03-05T05:00Z'),
    );
  });

  it('when the same day is asked again, then the remembered deadline is the same and each calendar keeps its own', () => {
    const plain = createWorkingCalendar({ country: null, extraHolidays: [] });
    const withExtra = createWorkingCalendar({ country: null, extraHolidays: ['2027-03-04'] });
    const first = workingDaysDeadline(utc('2027-03-03T09:00Z'), 1, plain, 'UTC');
    first.setTime(0); // a caller changing its copy must not change the remembered answer
    expect(workingDaysDeadline(utc('2027-03-03T15:00Z'), 1, plain, 'UTC')).toEqual(utc('2027-03-05T00:00Z'));
    expect(workingDaysDeadline(utc('2027-03-03T15:00Z'), 1, withExtra, 'UTC')).toEqual(
      utc('2027-03-06T00:00Z'),
    );
    expect(workingDaysDeadline(utc('2027-03-03T15:00Z'), 2, plain, 'UTC')).toEqual(utc('2027-03-06T00:00Z'));
  });

  it.each([
    // Kathmandu is UTC+05:45: its midnight falls at a quarter past the UTC hour.
    ['Asia/Kathmandu', '2027-03-03T18:14:59.999Z', '2027-03-03'],
    ['Asia/Kathmandu', '2027-03-03T18:15:00.000Z', '2027-03-04'],
    // Chatham is UTC+13:45 in summer.
    ['Pacific/Chatham', '2027-01-04T10:14:59.999Z', '2027-01-04'],
    ['Pacific/Chatham', '2027-01-04T10:15:00.000Z', '2027-01-05'],
    // Amsterdam's autumn change: 03:00 summer time becomes 02:00 winter time at 01:00Z; the day stays.
    ['Europe/Amsterdam', '2027-10-31T00:59:59.999Z', '2027-10-31'],
    ['Europe/Amsterdam', '2027-10-31T01:00:00.000Z', '2027-10-31'],
    ['Europe/Amsterdam', '2027-10-30T21:59:59.999Z', '2027-10-30'],
    ['Europe/Amsterdam', '2027-10-30T22:00:00.000Z', '2027-10-31'],
  ])('when it is %s at %s, then the local day is %s (also when asked twice)', (zone, at, day) => {
    expect(localDayOf(utc(at), zone)).toBe(day);
    expect(localDayOf(utc(at), zone)).toBe(day);
  });

  it('when a warning comes n working days before a deadline, then the deadline is within the warning horizon', () => {
    // Monday 1 March 2027, one working day of warning: the horizon is the end of Tuesday. A deadline at the end
    // of Tuesday is warned about from Tuesday 00:00 (one working day left), and lies within it; one at the end of
    // Wednesday is warned about from Wednesday, and lies beyond it.
    const monday = amsterdam('2027-03-01T10:00');
    expect(warningHorizon(monday, 1, nl, ZONE)).toEqual(utc('2027-03-02T23:00Z'));
    expect(workingDaysBefore(utc('2027-03-02T23:00Z'), 1, nl, ZONE)).toEqual(utc('2027-03-01T23:00Z'));
    expect(workingDaysBefore(utc('2027-03-03T23:00Z'), 1, nl, ZONE)).toEqual(utc('2027-03-02T23:00Z'));

    // Any instant and deadline over two years of weekends, holidays and DST changes: nothing to warn about lies
    // beyond the horizon, so the checker's index search never misses one.
    const start = Date.parse('2026-12-01T00:00:00Z');
    let warned = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 730 * 86_400_000 }),
        fc.integer({ min: 1, max: 40 * 86_400_000 }),
        fc.integer({ min: 1, max: 6 }),
        (offset, ahead, n) => {
          const at = new Date(start + offset);
          const deadline = new Date(start + offset + ahead);
          if (workingDaysBefore(deadline, n, nl, ZONE) <= at) {
            warned++;
            expect(deadline.getTime()).toBeLessThanOrEqual(warningHorizon(at, n, nl, ZONE).getTime());
          }
        },
      ),
      { numRuns: 5000 },
    );
    expect(warned).toBeGreaterThan(500); // the property was tested, not just its premise skipped
  });

  it('when no day is ever a working day, then it says so instead of looping', () => {
    const never = { isWorkingDay: () => false, holidayOn: () => 'always' };
    expect(() => workingDaysDeadline(utc('2027-03-03T14:00Z'), 5, never, ZONE)).toThrow(/No 5 working days/);
  });
});

describe('calendar limits', () => {
  it('when a month is added to 31 March, then it ends on 30 April at the same wall-clock time', () => {
    expect(calendarDeadline(amsterdam('2027-03-31T10:00'), Duration.fromISO('P1M'), ZONE)).toEqual(
      amsterdam('2027-04-30T10:00'),
    );
  });

  it('when the wall-clock time does not exist on the due day (DST gap), then it moves forward an hour', () => {
    // 2027-03-28 02:30 does not exist in Amsterdam: clocks jump from 02:00 to 03:00.
    expect(calendarDeadline(amsterdam('2027-02-28T02:30'), Duration.fromISO('P1M'), ZONE)).toEqual(
      utc('2027-03-28T01:30Z'),
    );
  });

  it('when a limit is in hours over the DST change, then hours are elapsed time (13:00 on the wall clock)', () => {
    expect(calendarDeadline(amsterdam('2027-03-27T12:00'), Duration.fromISO('PT24H'), ZONE)).toEqual(
      amsterdam('2027-03-28T13:00'),
    );
    expect(calendarDeadline(amsterdam('2027-03-27T12:00'), Duration.fromISO('P1D'), ZONE)).toEqual(
      amsterdam('2027-03-28T12:00'),
    );
  });
});

describe('calendar limits, remembered per quarter hour', () => {
  const zones = [
    'Europe/Amsterdam',
    'America/New_York',
    'Europe/Dublin', // its winter time is the "negative" DST of the tz data
    'Australia/Lord_Howe', // DST moves the clock by 30 minutes
    'Asia/Kathmandu', // +05:45
    'Pacific/Chatham', // +12:45 / +13:45
  ];
  const limits = ['P1M', 'P7D', 'P1W', 'P1D', 'PT36H', 'PT90M', 'P1M2DT3H', 'P1Y'].map((iso) =>
    Duration.fromISO(iso),
  );
  /** The instants of 2027 where each zone's offset changes, found hour by hour. */
  const changes = new Map(
    zones.map((zone) => {
      const found: number[] = [];
      const start = Date.parse('2026-12-01T00:00:00Z');
      for (let hour = 0; hour < 400 * 24; hour++) {
        const at = start + hour * 3_600_000;
        const before = DateTime.fromMillis(at, { zone }).offset;
        const after = DateTime.fromMillis(at + 3_600_000, { zone }).offset;
        if (before !== after) found.push(at + 3_600_000);
      }
      return [zone, found] as const;
    }),
  );
  const direct = (at: number, limit: Duration, zone: string) =>
    DateTime.fromMillis(at, { zone }).plus(limit).toMillis();

  it('when instants near an offset change, on either side of the limit, are asked twice, then each answer is luxon’s own', () => {
    // Every zone but Kathmandu (no DST) changes its offset twice a year.
    expect(zones.filter((zone) => (changes.get(zone)?.length ?? 0) >= 2)).toHaveLength(zones.length - 1);
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...limits),
        fc.nat(10),
        fc.boolean(),
        fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }),
        fc.integer({ min: 0, max: 15 * 60_000 - 1 }),
        (zone, limit, pick, nearTheEnd, jitter, otherInQuarter) => {
          const found = changes.get(zone) ?? [];
          const change =
            found[pick % found.length] ?? Date.parse('2027-01-15T00:00:00Z') + pick * 30 * 86_400_000;
          // Near the change itself, or a limit before it, so that the deadline lands near it.
          const around = nearTheEnd ? DateTime.fromMillis(change, { zone }).minus(limit).toMillis() : change;
          const at = around + jitter;
          const sameQuarter = Math.floor(at / 900_000) * 900_000 + otherInQuarter;
          expect(calendarDeadline(new Date(at), limit, zone).getTime()).toBe(direct(at, limit, zone));
          // The second instant of the quarter is answered from what the first left behind, if anything.
          expect(calendarDeadline(new Date(sameQuarter), limit, zone).getTime()).toBe(
            direct(sameQuarter, limit, zone),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('when 31 January plus a month is asked at many times of one day, then every answer is the last of February', () => {
    const limit = Duration.fromISO('P1M');
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      const at = DateTime.fromISO('2028-01-31T00:00', { zone: ZONE }).plus({ minutes: minute });
      expect(calendarDeadline(at.toJSDate(), limit, ZONE).getTime()).toBe(
        DateTime.fromISO('2028-02-29T00:00', { zone: ZONE }).plus({ minutes: minute }).toMillis(),
      );
    }
  });
});

describe('limits as text', () => {
  it('when a limit is written in ISO-8601, then it is read; zero, negative and junk are not', () => {
    expect(parseLimit('P1M')?.toISO()).toBe('P1M');
    expect(parseLimit('p7d')?.toISO()).toBe('P7D');
    expect(parseLimit('PT36H')?.toISO()).toBe('PT36H');
    expect(parseLimit('P0D')).toBeNull();
    expect(parseLimit('-P1D')).toBeNull();
    expect(parseLimit('7 days')).toBeNull();
  });

  it('when a duration is described, then people read months, days and hours', () => {
    expect(describeDuration(Duration.fromISO('P1M'))).toBe('1 month');
    expect(describeDuration(Duration.fromISO('P7D'))).toBe('7 days');
    expect(describeDuration(Duration.fromMillis((2 * 24 + 3) * 3600_000 + 60_000))).toBe('2 days 3 hours');
    expect(describeDuration(Duration.fromMillis(0))).toBe('no time');
  });
});
