import { Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import { cutoffOf, forecastOf, parseReleaseName, releaseLabel } from '../../src/domain/releases.js';

const ZONE = 'Europe/Amsterdam';
const limits = { verification: Duration.fromISO('P7D'), staged_rollout: Duration.fromISO('P1M') };
const NOW = new Date('2027-03-01T09:00:00Z');
const CUTOFF = new Date('2027-04-30T22:00:00Z');
const forecast = (status: Parameters<typeof forecastOf>[0]['status'], deadline: string | null) =>
  forecastOf({ status, deadline: deadline ? new Date(deadline) : null }, limits, CUTOFF, ZONE, NOW).kind;

describe('release names', () => {
  const distributions = ['UMD-5', 'CMD-OS-1', 'CMD-ONE-1'];
  it('when written as commands write them, then they name a configured distribution and are said as people say them', () => {
    const parsed = parseReleaseName('CMD-OS-1.4.0', distributions);
    expect(parsed).toEqual({ ok: true, name: { distribution: 'CMD-OS-1', version: '1.4.0' } });
    expect(parsed.ok && releaseLabel(parsed.name)).toBe('CMD-OS 1.4.0');
    expect(parseReleaseName('umd-5.01.0', distributions)).toEqual({
      ok: true,
      name: { distribution: 'UMD-5', version: '5.1.0' },
    });
    expect(parseReleaseName('XYZ-1.0.0', distributions)).toMatchObject({ ok: false });
  });
});

describe('the cut-off', () => {
  it('is RELEASE_CUTOFF before the date, at the end of that local day, also across a month end and in a leap year', () => {
    expect(cutoffOf('2027-03-15', Duration.fromISO('P7D'), ZONE)).toEqual(new Date('2027-03-08T23:00:00Z'));
    expect(cutoffOf('2028-03-05', Duration.fromISO('P7D'), ZONE)).toEqual(new Date('2028-02-27T23:00:00Z'));
    expect(cutoffOf('2028-03-07', Duration.fromISO('P7D'), ZONE)).toEqual(new Date('2028-02-29T23:00:00Z'));
    expect(cutoffOf('2027-03-31', Duration.fromISO('P1M'), ZONE)).toEqual(new Date('2027-02-28T23:00:00Z'));
  });
});

describe('the forecast of a ticket on its way (cut-off 2027-04-30 end of day, limits P7D and P1M)', () => {
  it('in each stage, compares its deadline plus the limits after it with the cut-off', () => {
    expect(forecast('ready', null)).toBe('candidate');
    // Staged rollout ends on its own deadline.
    expect(forecast('staged_rollout', '2027-04-20T09:00:00Z')).toBe('on_track');
    expect(forecast('staged_rollout', '2027-05-02T09:00:00Z')).toBe('at_risk');
    // Verification: its deadline and a month of staged rollout.
    expect(forecast('verification', '2027-03-20T09:00:00Z')).toBe('on_track');
    expect(forecast('verification', '2027-04-01T09:00:00Z')).toBe('at_risk');
    // Unverified: its deadline, a week, and a month.
    expect(forecast('unverified', '2027-03-10T09:00:00Z')).toBe('on_track');
    expect(forecast('unverified', '2027-03-31T09:00:00Z')).toBe('at_risk');
    // A limit already passed counts from now.
    expect(forecast('staged_rollout', '2027-02-01T09:00:00Z')).toBe('on_track');
    expect(forecast('delayed', null)).toBe('stalled');
    expect(forecast('waiting_for_provider', null)).toBe('stalled');
    expect(forecast('rejected', null)).toBe('out');
  });
});
