/**
 * The process report (`cmd-bot report`, `/cmd-report`): per stage, how many items went through, how many within
 * the limit, how long they took and how many were delayed, overall and per product; delays by explanation; and
 * what is still open and overdue at the end. Computed from the history, replayed through the machines' clocks.
 * The definitions are in figures.ts and docs/reports.md.
 */
import { reportHistory } from '../../db/repositories/reads.js';
import { type StatusChange, stageVisitReader } from '../../domain/stage-visits.js';
import type { ServiceContext } from '../context.js';
import { InvalidInputError } from '../errors.js';
import {
  type ItemStays,
  type ReportFigures,
  type ReportWindow,
  reportFigures,
  type StageFigures,
  stageFiguresIn,
} from './figures.js';
import { type MonthWindow, monthsEndingWith } from './window.js';

export * from './figures.js';
export * from './window.js';

export interface ProcessReport extends ReportFigures {
  readonly window: ReportWindow;
}

/** Every item's stays in each stage, from the history up to `until` (later changes are not read). */
function staysUntil(ctx: ServiceContext, until: Date): ItemStays[] {
  // Read without a transaction, as the other views are: the items come first, so each one's creation (written in
  // the same transaction as the item) is in the history read after it; later items are not asked about.
  const { items, changes } = reportHistory(ctx.db, until);
  const historyOf = new Map<string, StatusChange[]>();
  for (const change of changes) {
    const key = `${change.subjectType}:${change.subjectId}`;
    const list = historyOf.get(key);
    if (list) list.push(change);
    else historyOf.set(key, [change]);
  }
  const read = stageVisitReader(ctx.rules);
  return items.map((item) => ({
    item,
    visits: read(item.kind, historyOf.get(`${item.kind}:${item.id}`) ?? [], until),
  }));
}

export interface MonthFigures {
  /** `2027-03` */
  readonly month: string;
  readonly stages: readonly StageFigures[];
}

/** A report and the month-by-month figures its chart draws. */
export interface ChartedReport {
  readonly report: ProcessReport;
  readonly months: readonly MonthFigures[];
}

/**
 * The report of `window` and, for its chart, the per-stage figures of each of `months` (none ending after
 * `window.to`), from one read and replay of the history, up to `window.to`.
 */
export function chartedReport(
  ctx: ServiceContext,
  window: ReportWindow,
  months: readonly MonthWindow[],
): ChartedReport {
  if (window.from >= window.to) {
    throw new InvalidInputError([{ field: 'from', message: 'The report must begin before it ends.' }]);
  }
  const stays = staysUntil(ctx, window.to);
  return {
    report: { window, ...reportFigures(stays, window) },
    months: months.map(({ month, window: part }) => {
      if (part.to > window.to) throw new Error(`the chart's ${month} ends after the report`);
      return { month, stages: stageFiguresIn(stays, part) };
    }),
  };
}

export function processReport(ctx: ServiceContext, window: ReportWindow): ProcessReport {
  return chartedReport(ctx, window, []).report;
}

/** How many months `/cmd-report`'s chart shows, ending with the month reported. */
export const CHART_MONTHS = 6;

/**
 * `/cmd-report [month]`: the report of a calendar month (`2027-03`), by default the last one that has ended, and
 * the figures of the `CHART_MONTHS` months ending with it for its chart.
 */
export function monthReport(ctx: ServiceContext, month: string | null): ChartedReport {
  const months = monthsEndingWith(month, ctx.clock.now(), ctx.rules.timeZone, CHART_MONTHS);
  const reported = months.at(-1) as MonthWindow; // monthsEndingWith gives at least the month asked for
  return chartedReport(ctx, reported.window, months);
}
