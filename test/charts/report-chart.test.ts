/** The report's chart: bars that say the figures (heights in proportion, zero apart from none), and a real PNG. */
import { describe, expect, it } from 'vitest';
import { chartTitle, niceCeiling, reportChartSvg, svgToPng } from '../../src/charts/report-chart.js';
import type { MonthFigures, StageFigures } from '../../src/services/index.js';

const DAY = 86_400_000;
const stage = (
  name: StageFigures['stage'],
  share: number | null,
  medianDays: number | null,
): StageFigures => ({
  stage: name,
  wentThrough: share === null ? 0 : 4,
  withinLimit: share === null ? 0 : Math.round(share * 4),
  withinShare: share,
  medianMs: medianDays === null ? null : medianDays * DAY,
  p90Ms: null,
  delayed: 0,
});

const MONTHS: MonthFigures[] = [
  {
    month: '2027-02',
    stages: [
      stage('injection', 1, 3),
      stage('unverified', 0.5, 20),
      stage('verification', 0, 5),
      stage('staged_rollout', null, null),
    ],
  },
  {
    month: '2027-03',
    stages: [
      stage('injection', 0.75, 4),
      stage('unverified', 0.25, 31),
      stage('verification', 1, 2),
      stage('staged_rollout', 0.5, 14),
    ],
  },
];

/** Each bar's stage, month, value and height, in the order drawn (the share panel first). */
function bars(svg: string) {
  return [
    ...svg.matchAll(
      /<rect class="bar" data-stage="([a-z_]+)" data-month="([\d-]+)" data-value="([\d.]+)" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"/g,
    ),
  ].map(([, stageName, month, value, height]) => ({
    stageName,
    month,
    value: Number(value),
    height: Number(height),
  }));
}

describe('the report chart', () => {
  it('when months have figures, then each stage has a bar in proportion in both panels, and none where nothing went through', () => {
    const drawn = bars(reportChartSvg(MONTHS, chartTitle(MONTHS)));
    const shares = drawn.slice(0, 7);
    const medians = drawn.slice(7);

    // February's staged rollout had nothing go through: no bar in either panel (7 + 7, not 8 + 8).
    expect(drawn).toHaveLength(14);
    // Share panel: 170 px is 100%; a zero is a 2 px line on the axis.
    expect(shares.map(({ stageName, month, height }) => [month, stageName, height])).toEqual([
      ['2027-02', 'injection', 170],
      ['2027-02', 'unverified', 85],
      ['2027-02', 'verification', 2],
      ['2027-03', 'injection', 127.5],
      ['2027-03', 'unverified', 42.5],
      ['2027-03', 'verification', 170],
      ['2027-03', 'staged_rollout', 85],
    ]);
    // Median panel: the longest median, 31 days, rounds up to four steps of 10: 40 days is 170 px.
    expect(medians.map(({ stageName, month, height }) => [month, stageName, height])).toEqual([
      ['2027-02', 'injection', 12.8],
      ['2027-02', 'unverified', 85],
      ['2027-02', 'verification', 21.3],
      ['2027-03', 'injection', 17],
      ['2027-03', 'unverified', 131.8],
      ['2027-03', 'verification', 8.5],
      ['2027-03', 'staged_rollout', 59.5],
    ]);
  });

  it('when a title holds markup, then the SVG shows it as text', () => {
    const svg = reportChartSvg(MONTHS, 'Report <script>alert(1)</script> & "more"');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('Report &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;');
    expect(chartTitle(MONTHS)).toBe('CMD/UMD provisioning, Feb 2027 – Mar 2027');
    expect(chartTitle(MONTHS.slice(1))).toBe('CMD/UMD provisioning, Mar 2027');
  });

  it('when rendered, then it is an 880 × 560 PNG', () => {
    const png = svgToPng(reportChartSvg(MONTHS, chartTitle(MONTHS)));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // The IHDR chunk: width and height, big-endian, after the signature, length and type.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([880, 560]);
  });

  it('gives round grid steps for the median panel', () => {
    expect([0.3, 1, 1.5, 2, 3, 7.75, 11, 60, 130].map(niceCeiling)).toEqual([
      1, 1, 2, 2, 5, 10, 20, 100, 200,
    ]);
  });
});
