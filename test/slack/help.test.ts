/** The limits /cmd-help states are the ones configured, not written in. */
import { Duration } from 'luxon';
import { expect, it } from 'vitest';
import { helpMessage, limitsText } from '../../src/slack/blocks/help.js';

const rules = (
  injectionWorkingDays: number,
  unverified: string,
  verification: string,
  stagedRollout: string,
) => ({
  injectionWorkingDays,
  limits: {
    unverified: Duration.fromISO(unverified),
    verification: Duration.fromISO(verification),
    staged_rollout: Duration.fromISO(stagedRollout),
  },
});

it('when the limits are the defaults, then /cmd-help states them', () => {
  expect(limitsText(rules(5, 'P1M', 'P7D', 'P1M'))).toBe(
    'injection within 5 working days, Unverified at most 1 month, Verification at most 7 days, Staged Rollout at most 1 month',
  );
});

it('when other limits are configured, then /cmd-help states those', () => {
  const help = JSON.stringify(helpMessage(false, rules(1, 'P2M', 'PT36H', 'P3W')));
  expect(help).toContain(
    'injection within 1 working day, Unverified at most 2 months, Verification at most 36 hours, Staged Rollout at most 3 weeks',
  );
});
