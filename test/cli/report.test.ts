/**
 * `cmd-bot report` over the history of test/support/report-fixture.ts: the figures of March 2027 are worked out by
 * hand in test/services/report.test.ts; here each format prints exactly those. Days are 24 h, one decimal:
 * 8 d 23 h = 8.958 → 9.0, 6 d 22 h = 6.917 → 6.9, and TKT-6's 19 d 12 h → 19.5.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARCH_2027, seedReportHistory } from '../support/report-fixture.js';
import { type Workspace, withWorkspace, workspace } from './harness.js';

let ws: Workspace;
const MARCH = ['report', '--from', '2027-03-01', '--to', '2027-03-31'];

beforeAll(async () => {
  ws = workspace();
  await ws.run(['migrate']);
  ws.services('2027-02-01T09:00:00Z', seedReportHistory);
});
afterAll(() => ws.cleanup());

const STAGE_HEAD =
  '| Stage | Went through | Within the limit | Median (days) | 90th percentile (days) | Delayed |\n' +
  '| --- | ---: | ---: | ---: | ---: | ---: |';

describe('cmd-bot report', () => {
  it('when asked for March in Markdown (the default), then it prints the figures worked out by hand', async () => {
    const result = await ws.run(MARCH);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`# Process report, 2027-03-01 to 2027-03-31

Days in Europe/Amsterdam, both included. Times in a stage leave out time waiting for the provider; days are 24 hours. Definitions: docs/reports.md.

## Stages

${STAGE_HEAD}
| Injection | 3 | 2 (67%) | 3.0 | 9.0 | 1 |
| Unverified | 4 | 3 (75%) | 1.0 | 30.0 | 1 |
| Verification | 3 | 2 (67%) | 6.9 | 8.0 | 1 |
| Staged Rollout | 2 | 1 (50%) | 14.0 | 38.0 | 1 |

## Delays by explanation

| Explanation | Delayed |
| --- | ---: |
| Testbed unavailable | 1 |
| No early adopter available | 1 |
| UMD team capacity | 1 |
| Not explained | 1 |

## Per product

### ARC

${STAGE_HEAD}
| Injection | 2 | 1 (50%) | 2.0 | 9.0 | 1 |
| Unverified | 2 | 2 (100%) | 1.0 | 2.0 | 0 |
| Verification | 2 | 1 (50%) | 3.0 | 8.0 | 1 |
| Staged Rollout | 1 | 1 (100%) | 14.0 | 14.0 | 0 |

Delays: Testbed unavailable 1, Not explained 1.

### dCache

${STAGE_HEAD}
| Injection | 1 | 1 (100%) | 3.0 | 3.0 | 0 |
| Unverified | 2 | 1 (50%) | 1.0 | 30.0 | 1 |
| Verification | 1 | 1 (100%) | 6.9 | 6.9 | 0 |
| Staged Rollout | 1 | 0 (0%) | 38.0 | 38.0 | 1 |

Delays: No early adopter available 1, UMD team capacity 1.

## Open and overdue at 2027-04-01 00:00 Europe/Amsterdam

| Item | Product | Version | Platform | Stage | Deadline | Days in stage | Explanation |
| --- | --- | --- | --- | --- | --- | ---: | --- |
| TKT-6 | dCache | 9.2 | el9/x86_64 | Verification | 2027-03-19 10:00 UTC | 19.5 | Not explained |
`);
  });

  it('when asked for CSV, then one table holds the same figures, a section column saying what each row is', async () => {
    const result = await ws.run([...MARCH, '--format', 'csv']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\r\n')).toEqual([
      'section,product,stage,went_through,within_limit,within_share,median_days,p90_days,delayed,explanation,item,version,platform,deadline,days_in_stage',
      'stage,,Injection,3,2,67%,3.0,9.0,1,,,,,,',
      'stage,,Unverified,4,3,75%,1.0,30.0,1,,,,,,',
      'stage,,Verification,3,2,67%,6.9,8.0,1,,,,,,',
      'stage,,Staged Rollout,2,1,50%,14.0,38.0,1,,,,,,',
      'delays,,,,,,,,1,Testbed unavailable,,,,,',
      'delays,,,,,,,,1,No early adopter available,,,,,',
      'delays,,,,,,,,1,UMD team capacity,,,,,',
      'delays,,,,,,,,1,Not explained,,,,,',
      'stage,ARC,Injection,2,1,50%,2.0,9.0,1,,,,,,',
      'stage,ARC,Unverified,2,2,100%,1.0,2.0,0,,,,,,',
      'stage,ARC,Verification,2,1,50%,3.0,8.0,1,,,,,,',
      'stage,ARC,Staged Rollout,1,1,100%,14.0,14.0,0,,,,,,',
      'delays,ARC,,,,,,,1,Testbed unavailable,,,,,',
      'delays,ARC,,,,,,,1,Not explained,,,,,',
      'stage,dCache,Injection,1,1,100%,3.0,3.0,0,,,,,,',
      'stage,dCache,Unverified,2,1,50%,1.0,30.0,1,,,,,,',
      'stage,dCache,Verification,1,1,100%,6.9,6.9,0,,,,,,',
      'stage,dCache,Staged Rollout,1,0,0%,38.0,38.0,1,,,,,,',
      'delays,dCache,,,,,,,1,No early adopter available,,,,,',
      'delays,dCache,,,,,,,1,UMD team capacity,,,,,',
      'overdue,dCache,Verification,,,,,,yes,Not explained,TKT-6,9.2,el9/x86_64,2027-03-19T10:00:00.000Z,19.5',
      '',
    ]);
  });

  it('when asked for JSON, then the figures are exact: milliseconds, fractions and UTC instants', async () => {
    const DAY = 86_400_000;
    const HOUR = 3_600_000;
    expect(await ws.json(MARCH.concat('--format', 'json'))).toEqual({
      from: '2027-03-01',
      to: '2027-03-31',
      timeZone: 'Europe/Amsterdam',
      window: { start: '2027-02-28T23:00:00.000Z', end: '2027-03-31T22:00:00.000Z' },
      stages: MARCH_2027.stages,
      delays: MARCH_2027.delays,
      products: MARCH_2027.products,
      overdue: [
        {
          item: 'TKT-6',
          product: 'dCache',
          version: '9.2',
          platform: 'el9/x86_64',
          stage: 'verification',
          enteredAt: '2027-03-12T10:00:00.000Z',
          deadline: '2027-03-19T10:00:00.000Z',
          msInStage: 19 * DAY + 12 * HOUR,
          delayed: true,
          delayCategory: null,
        },
      ],
    });
  });

  it('when given --chart, then it writes the chart of the months the period touches, PNG or SVG by the name', async () => {
    const svgFile = join(ws.dir, 'chart.svg');
    const pngFile = join(ws.dir, 'chart.png');

    const svgRun = await ws.run(['report', '--from', '2027-02-15', '--to', '2027-03-31', '--chart', svgFile]);
    const pngRun = await ws.run([...MARCH, '--format', 'csv', '--chart', pngFile]);

    expect(svgRun.code).toBe(0);
    expect(svgRun.stderr).toContain(`Wrote the chart of 2 months to ${svgFile}.`);
    const svg = readFileSync(svgFile, 'utf8');
    expect(svg).toContain('CMD/UMD provisioning, Feb 2027 – Mar 2027');
    // March's shares within the limit, as worked out by hand: 2 of 3, 3 of 4, 2 of 3, 1 of 2.
    const marchShares = [
      ...svg.matchAll(/data-stage="([a-z_]+)" data-month="2027-03" data-value="([\d.]+)"/g),
    ]
      .slice(0, 4)
      .map(([, stage, value]) => [stage, value]);
    expect(marchShares).toEqual([
      ['injection', '0.667'],
      ['unverified', '0.750'],
      ['verification', '0.667'],
      ['staged_rollout', '0.500'],
    ]);
    expect(pngRun.code).toBe(0);
    expect(pngRun.stdout.startsWith('section,')).toBe(true);
    expect(readFileSync(pngFile).subarray(1, 4).toString()).toBe('PNG');
  });

  it('when a window holds nothing, then the report says so instead of printing empty tables', async () => {
    const result = await ws.run(['report', '--from', '2026-01-01', '--to', '2026-01-31']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('| Injection | 0 | - | - | - | 0 |');
    expect(result.stdout).toContain('## Delays by explanation\n\nNo delays.');
    expect(result.stdout).toContain('No product went through a stage.');
    expect(result.stdout).toContain('## Open and overdue at 2026-02-01 00:00 Europe/Amsterdam\n\nNone.');
  });
});

describe('cmd-bot report refuses', () => {
  const refusals: [string, string[], string][] = [
    [
      'a date not written YYYY-MM-DD',
      ['--from', '2027-3-1', '--to', '2027-03-31'],
      'Give a date written YYYY-MM-DD',
    ],
    [
      'a day that does not exist',
      ['--from', '2027-02-30', '--to', '2027-03-31'],
      '--from 2027-02-30 is not a date',
    ],
    [
      '--from after --to',
      ['--from', '2027-03-31', '--to', '2027-03-01'],
      '--from 2027-03-31 is after --to 2027-03-01: give the earlier date first.',
    ],
    [
      'an unknown format',
      ['--from', '2027-03-01', '--to', '2027-03-31', '--format', 'xlsx'],
      'Allowed choices are md, csv, json',
    ],
    ['a missing --to', ['--from', '2027-03-01'], "required option '--to <DATE>' not specified"],
  ];
  it('when the days are wrong and there is no database yet, then it still says what to fix in the days', () =>
    withWorkspace(async (fresh) => {
      const result = await fresh.run(['report', '--from', '2027-03-31', '--to', '2027-03-01']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--from 2027-03-31 is after --to 2027-03-01');
      expect(existsSync(fresh.dbPath)).toBe(false);
    }));

  for (const [what, args, message] of refusals) {
    it(`when given ${what}, then it exits 2 and says what to fix`, async () => {
      const result = await ws.run(['report', ...args]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
    });
  }
});
