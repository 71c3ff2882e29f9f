import { describe, expect, it } from 'vitest';
import type { ReportFacts } from '../../src/domain/early-adopter-reports.js';
import { earlyAdopterKnownIssues } from '../../src/domain/known-issues.js';

const problem = (fields: Partial<ReportFacts>): ReportFacts => ({
  ticketId: 1,
  platform: 'el9/x86_64',
  site: 'SITE-C',
  outcome: 'problem',
  details: 'A-REX does not start',
  workaround: null,
  listedSite: true,
  ...fields,
});

describe('earlyAdopterKnownIssues', () => {
  it('when problems were worked around, then each is a known issue naming its platform, what happened, the workaround and who reported it', () => {
    expect(
      earlyAdopterKnownIssues([
        problem({ platform: 'el9/x86_64', workaround: 'restart it\nafter the upgrade' }),
        problem({ site: 'site-d', platform: 'el9/x86_64', workaround: 'Restart it after the upgrade' }),
        problem({ platform: 'al9/x86_64', site: 'SITE-E', details: 'slow', workaround: 'wait' }),
        // No workaround, a works report, and a report sent before the form asked: not known issues.
        problem({ details: 'crashes' }),
        problem({ outcome: 'works', workaround: 'n/a' }),
        problem({ details: null, workaround: '  ' }),
      ]),
    ).toEqual([
      'al9/x86_64: slow — workaround: wait (reported by SITE-E)',
      'el9/x86_64: A-REX does not start — workaround: restart it after the upgrade (reported by SITE-C, site-d)',
    ]);
  });

  it('when no problem has a workaround, then there are none', () => {
    expect(earlyAdopterKnownIssues([problem({})])).toEqual([]);
  });
});
