/** Reading stays in stages back from a history, with the machines' own clock (src/domain/stage-visits.ts). */
import { expect, it } from 'vitest';
import { loadCoreConfig, processRulesFrom } from '../../src/config/core.js';
import { type StatusChange, stageVisitReader } from '../../src/domain/stage-visits.js';

const read = stageVisitReader(processRulesFrom(loadCoreConfig({ CMD_TIMEZONE: 'UTC' })));
const DAY = 86_400_000;

const change = (at: string, event: string, fromStatus: string | null, toStatus: string): StatusChange => ({
  event,
  fromStatus,
  toStatus,
  actor: 'USTAFF1',
  reason: null,
  at: new Date(at),
});

it('when a ticket is superseded while waiting for the provider, then the wait counts neither in its time nor against its limit', () => {
  const [stay, ...more] = read(
    'ticket',
    [
      change('2027-03-01T00:00:00Z', 'create', null, 'unverified'),
      change('2027-03-02T00:00:00Z', 'wait_for_provider', 'unverified', 'waiting_for_provider'),
      change('2027-04-20T00:00:00Z', 'supersede', 'waiting_for_provider', 'superseded'),
    ],
    new Date('2027-06-01T00:00:00Z'),
  );
  expect(more).toEqual([]);
  expect(stay).toMatchObject({
    stage: 'unverified',
    leftTo: 'superseded',
    activeMs: 1 * DAY,
    // 1 April plus the 49 days it waited.
    deadline: new Date('2027-05-20T00:00:00Z'),
    withinLimit: true,
  });
});

it('when a delayed ticket waits and comes back, then its stay stays late, the wait is left out, and the next stage starts', () => {
  const stays = read(
    'ticket',
    [
      change('2027-01-01T00:00:00Z', 'create', null, 'unverified'),
      change('2027-02-01T01:00:00Z', 'delay', 'unverified', 'delayed'),
      change('2027-02-02T00:00:00Z', 'wait_for_provider', 'delayed', 'waiting_for_provider'),
      change('2027-02-05T00:00:00Z', 'resume', 'waiting_for_provider', 'delayed'),
      change('2027-02-06T00:00:00Z', 'start_verification', 'delayed', 'verification'),
      change('2027-02-07T00:00:00Z', 'pass_verification', 'verification', 'staged_rollout'),
    ],
    new Date('2027-02-10T00:00:00Z'),
  );
  expect(stays).toMatchObject([
    {
      stage: 'unverified',
      activeMs: 33 * DAY,
      deadline: new Date('2027-02-01T00:00:00Z'),
      withinLimit: false,
      delayed: true,
      delayCategory: null,
    },
    {
      stage: 'verification',
      activeMs: 1 * DAY,
      deadline: new Date('2027-02-13T00:00:00Z'),
      withinLimit: true,
    },
    { stage: 'staged_rollout', leftAt: null, activeMs: 3 * DAY, withinLimit: true },
  ]);
});

it('when changes happen after the end, then the stays are as they stood at the end', () => {
  const stays = read(
    'submission',
    [
      change('2027-03-01T10:00:00Z', 'submit', null, 'open'),
      change('2027-03-03T10:00:00Z', 'inject', 'open', 'solved'),
    ],
    new Date('2027-03-02T10:00:00Z'),
  );
  expect(stays).toMatchObject([{ stage: 'injection', leftAt: null, activeMs: 1 * DAY, withinLimit: true }]);
});
