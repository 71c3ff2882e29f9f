/**
 * The process report's chart: per month, the share of items within the limit and the median time in each stage
 * (injection, Unverified, Verification, Staged Rollout), as grouped bars in two panels. An SVG built here (pure),
 * and a PNG rendered from it without a browser (resvg), for Slack and for `cmd-bot report --chart`.
 */
import { Resvg } from '@resvg/resvg-js';
import { DateTime } from 'luxon';
import { CLOCK_KINDS, type ClockKind } from '../domain/clock-kinds.js';
import { type MonthFigures, STAGE_LABELS } from '../services/index.js';

const WIDTH = 880;
const HEIGHT = 560;
const LEFT = 70;
const RIGHT = 20;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const PANEL_HEIGHT = 170;
/** The top of each panel's plot area, and its title above it. */
const PANELS = { share: 112, median: 352 } as const;
const DAY_MS = 86_400_000;
/** Okabe–Ito colours: told apart with any colour vision. */
const COLOURS: { readonly [K in ClockKind]: string } = {
  injection: '#0072B2',
  unverified: '#E69F00',
  verification: '#009E73',
  staged_rollout: '#CC79A7',
};
const FONT = 'DejaVu Sans, sans-serif';

const xml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const monthLabel = (month: string): string => DateTime.fromISO(`${month}-01`).toFormat('LLL yyyy');

/** 1, 2, 5, 10, 20, 50… the first at or above `value` (at least 1): a grid step of the median panel. */
export function niceCeiling(value: number): number {
  let step = 1;
  for (;;) {
    for (const factor of [1, 2, 5]) if (step * factor >= value) return step * factor;
    step *= 10;
  }
}

const text = (x: number, y: number, content: string, attributes = ''): string =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="${FONT}" ${attributes}>${xml(content)}</text>`;

/** One panel: its title, grid and axis labels, and a bar per stage and month (none where nothing went through). */
function panel(
  top: number,
  title: string,
  months: readonly MonthFigures[],
  measure: (stage: MonthFigures['stages'][number]) => number | null,
  topValue: number,
  tickLabel: (value: number) => string,
): string[] {
  const parts = [text(LEFT, top - 14, title, 'font-size="15" font-weight="bold" fill="#222"')];
  for (let tick = 0; tick <= 4; tick++) {
    const value = (topValue * tick) / 4;
    const y = top + PANEL_HEIGHT - (PANEL_HEIGHT * tick) / 4;
    parts.push(
      `<line x1="${LEFT}" y1="${y.toFixed(1)}" x2="${WIDTH - RIGHT}" y2="${y.toFixed(1)}" stroke="${tick === 0 ? '#444' : '#ddd'}" stroke-width="1"/>`,
      text(LEFT - 8, y + 4, tickLabel(value), 'font-size="11" fill="#444" text-anchor="end"'),
    );
  }
  const groupWidth = PLOT_WIDTH / Math.max(months.length, 1);
  const barWidth = (groupWidth * 0.8) / CLOCK_KINDS.length;
  months.forEach((month, index) => {
    const groupLeft = LEFT + index * groupWidth + groupWidth * 0.1;
    CLOCK_KINDS.forEach((stage, position) => {
      const figures = month.stages.find((candidate) => candidate.stage === stage);
      const value = figures ? measure(figures) : null;
      if (value === null) return;
      // A zero is a thin line on the axis, so that it is told apart from a stage nothing went through.
      const height = Math.max(2, (PANEL_HEIGHT * Math.min(value, topValue)) / topValue);
      const x = groupLeft + position * barWidth;
      parts.push(
        `<rect class="bar" data-stage="${stage}" data-month="${month.month}" data-value="${value.toFixed(3)}" ` +
          `x="${x.toFixed(1)}" y="${(top + PANEL_HEIGHT - height).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" ` +
          `height="${height.toFixed(1)}" fill="${COLOURS[stage]}"/>`,
      );
    });
    parts.push(
      text(
        LEFT + index * groupWidth + groupWidth / 2,
        top + PANEL_HEIGHT + 16,
        monthLabel(month.month),
        'font-size="11" fill="#444" text-anchor="middle"',
      ),
    );
  });
  return parts;
}

/** The chart of `months` as SVG text. */
export function reportChartSvg(months: readonly MonthFigures[], title: string): string {
  const medians = months.flatMap((month) =>
    month.stages.flatMap((stage) => (stage.medianMs === null ? [] : [stage.medianMs / DAY_MS])),
  );
  // Four grid steps of a round number of days.
  const medianTop = 4 * niceCeiling(Math.max(1, ...medians) / 4);
  const legend = CLOCK_KINDS.map((stage, index) => {
    const x = LEFT + index * 190;
    return (
      `<rect x="${x}" y="52" width="14" height="14" fill="${COLOURS[stage]}"/>` +
      text(x + 20, 64, STAGE_LABELS[stage], 'font-size="13" fill="#222"')
    );
  });
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(LEFT, 30, title, 'font-size="18" font-weight="bold" fill="#111"'),
    ...legend,
    ...panel(
      PANELS.share,
      'Share within the limit',
      months,
      (stage) => stage.withinShare,
      1,
      (value) => `${Math.round(value * 100)}%`,
    ),
    ...panel(
      PANELS.median,
      'Median time in the stage (days, waiting for the provider not counted)',
      months,
      (stage) => (stage.medianMs === null ? null : stage.medianMs / DAY_MS),
      medianTop,
      (value) => (Number.isInteger(value) ? String(value) : value.toFixed(1)),
    ),
    '</svg>',
  ];
  return parts.join('\n');
}

/**
 * The SVG as a PNG. Text is set in the system's DejaVu Sans (Debian's fonts-dejavu-core; the Dockerfile installs
 * it): a machine without fonts still gets the bars, without their labels.
 */
export function svgToPng(svg: string): Buffer {
  const rendered = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  }).render();
  return rendered.asPng();
}

/** The chart's title: the months it shows. */
export function chartTitle(months: readonly MonthFigures[]): string {
  const first = months[0];
  const last = months.at(-1);
  if (!first || !last) return 'CMD/UMD provisioning';
  return first === last
    ? `CMD/UMD provisioning, ${monthLabel(first.month)}`
    : `CMD/UMD provisioning, ${monthLabel(first.month)} – ${monthLabel(last.month)}`;
}
