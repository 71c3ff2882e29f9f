/**
 * The process report's figures from the items' stays in each stage (src/domain/stage-visits.ts). Pure.
 *
 * Definitions (docs/reports.md says the same for its readers):
 * - The window is [from, to): `from` included, `to` not.
 * - An item **went through** a stage in the window when its stay in that stage **ended** in the window: it moved
 *   to the next stage, or to an end (rejected, superseded, failed verification). Waiting for the provider and
 *   Delayed do not end a stay; they are part of the stage they were entered from.
 * - It was **within the limit** when it left before the stage's deadline as the clock computed it: time waiting
 *   for the provider added to the deadline, as on return from waiting (leaving at the deadline is late, as the
 *   delay check counts an item overdue from its deadline on).
 * - **Time in stage** is from entering the stage to leaving it, without the time paused waiting for the provider.
 *   Its median and 90th percentile use the **nearest rank**: the value at position ⌈p·n⌉ of the n times sorted
 *   (so the median of an even number of stays is the lower of the two middle ones).
 * - **Delayed**: the delay check marked the ticket Delayed (or flagged the submission's injection overdue) during
 *   the stay. Delays are grouped by the category of the last explanation staff gave ("Explain delay"); a delay
 *   with none (and every overdue injection: it has no explanation move) is "not explained".
 * - **Open and overdue at `to`**: a stay not ended at `to` whose deadline (paused time added) is at or before `to`.
 */
import type { ReportedItem } from '../../db/repositories/reads.js';
import { CLOCK_KINDS, CLOCK_LABELS, type ClockKind } from '../../domain/clock-kinds.js';
import type { StageVisit } from '../../domain/stage-visits.js';
import { DELAY_CATEGORIES, DELAY_CATEGORY_LABELS, type DelayCategory } from '../../domain/ticket-machine.js';

export interface ItemStays {
  readonly item: ReportedItem;
  readonly visits: readonly StageVisit[];
}

export interface ReportWindow {
  readonly from: Date;
  /** Not included. */
  readonly to: Date;
}

export interface StageFigures {
  readonly stage: ClockKind;
  readonly wentThrough: number;
  readonly withinLimit: number;
  /** withinLimit / wentThrough; null when nothing went through. */
  readonly withinShare: number | null;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
  readonly delayed: number;
}

export const NOT_EXPLAINED = 'not_explained';
export type DelayGroup = DelayCategory | typeof NOT_EXPLAINED;

export interface DelayCount {
  readonly category: DelayGroup;
  readonly count: number;
}

export interface ProductFigures {
  readonly product: string;
  readonly stages: readonly StageFigures[];
  readonly delays: readonly DelayCount[];
}

export interface OverdueStay {
  readonly item: ReportedItem;
  readonly stay: StageVisit;
}

export interface ReportFigures {
  readonly stages: readonly StageFigures[];
  readonly delays: readonly DelayCount[];
  readonly products: readonly ProductFigures[];
  readonly overdue: readonly OverdueStay[];
}

/** The value at rank ⌈percent·n/100⌉ of `sorted` (ascending); null for none. Integer arithmetic: no 27.000…04. */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((percent * sorted.length) / 100));
  return sorted[rank - 1] ?? null;
}

interface EndedStay {
  readonly item: ReportedItem;
  readonly stay: StageVisit;
}

function stageFigures(ended: readonly EndedStay[]): StageFigures[] {
  return CLOCK_KINDS.map((stage) => {
    const stays = ended.filter(({ stay }) => stay.stage === stage).map(({ stay }) => stay);
    const times = stays.map((stay) => stay.activeMs).sort((a, b) => a - b);
    const withinLimit = stays.filter((stay) => stay.withinLimit).length;
    return {
      stage,
      wentThrough: stays.length,
      withinLimit,
      withinShare: stays.length === 0 ? null : withinLimit / stays.length,
      medianMs: nearestRank(times, 50),
      p90Ms: nearestRank(times, 90),
      delayed: stays.filter((stay) => stay.delayed).length,
    };
  });
}

/** Delayed stays per explanation category, in the categories' order, "not explained" last; none left out as 0. */
function delayCounts(ended: readonly EndedStay[]): DelayCount[] {
  const delayed = ended.filter(({ stay }) => stay.delayed);
  return [...DELAY_CATEGORIES, NOT_EXPLAINED as DelayGroup]
    .map((category) => ({
      category,
      count: delayed.filter(({ stay }) => (stay.delayCategory ?? NOT_EXPLAINED) === category).length,
    }))
    .filter(({ count }) => count > 0);
}

function staysOf(items: readonly ItemStays[]): EndedStay[] {
  return items.flatMap(({ item, visits }) => visits.map((stay) => ({ item, stay })));
}

function endedIn(stays: readonly EndedStay[], window: ReportWindow): EndedStay[] {
  return stays.filter(
    ({ stay }) => stay.leftAt !== null && stay.leftAt >= window.from && stay.leftAt < window.to,
  );
}

/** Only the per-stage figures of `window` (a month of the chart), from stays read up to its end or later. */
export function stageFiguresIn(items: readonly ItemStays[], window: ReportWindow): StageFigures[] {
  return stageFigures(endedIn(staysOf(items), window));
}

export function reportFigures(items: readonly ItemStays[], window: ReportWindow): ReportFigures {
  const stays = staysOf(items);
  const ended = endedIn(stays, window);
  const overdue = stays
    .filter(({ stay }) => stay.leftAt === null && !stay.withinLimit)
    .sort(
      (a, b) =>
        a.stay.deadline.getTime() - b.stay.deadline.getTime() ||
        a.item.kind.localeCompare(b.item.kind) ||
        a.item.id - b.item.id,
    );
  const productNames = [...new Set([...ended, ...overdue].map(({ item }) => item.product))].sort((a, b) =>
    a.localeCompare(b, 'en'),
  );
  return {
    stages: stageFigures(ended),
    delays: delayCounts(ended),
    products: productNames.map((product) => {
      const own = ended.filter(({ item }) => item.product === product);
      return { product, stages: stageFigures(own), delays: delayCounts(own) };
    }),
    overdue,
  };
}

/** How the report names things and writes numbers, the same on the command line and in Slack. */
export const STAGE_LABELS: { readonly [K in ClockKind]: string } = {
  ...CLOCK_LABELS,
  injection: 'Injection',
};

export const delayGroupLabel = (group: DelayGroup): string =>
  group === NOT_EXPLAINED ? 'Not explained' : DELAY_CATEGORY_LABELS[group];

const DAY_MS = 86_400_000;

/** Days with one decimal: `2.5`; `-` for none. */
export const reportDays = (ms: number | null): string => (ms === null ? '-' : (ms / DAY_MS).toFixed(1));

/** A share as a whole percentage: `67%`; `-` for none. */
export const reportPercent = (share: number | null): string =>
  share === null ? '-' : `${Math.round(share * 100)}%`;
