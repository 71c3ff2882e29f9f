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
import { type ReportFigures, type ReportWindow, reportFigures } from './figures.js';
import { monthWindow } from './window.js';

export * from './figures.js';
export * from './window.js';

export interface ProcessReport extends ReportFigures {
  readonly window: ReportWindow;
}

export function processReport(ctx: ServiceContext, window: ReportWindow): ProcessReport {
  if (window.from >= window.to) {
    throw new InvalidInputError([{ field: 'from', message: 'The report must begin before it ends.' }]);
  }
  // Read without a transaction, as the other views are: the items come first, so each one's creation (written in
  // the same transaction as the item) is in the history read after it; later items are not asked about.
  const { items, changes } = reportHistory(ctx.db, window.to);
  const historyOf = new Map<string, StatusChange[]>();
  for (const change of changes) {
    const key = `${change.subjectType}:${change.subjectId}`;
    const list = historyOf.get(key);
    if (list) list.push(change);
    else historyOf.set(key, [change]);
  }
  const read = stageVisitReader(ctx.rules);
  const stays = items.map((item) => ({
    item,
    visits: read(item.kind, historyOf.get(`${item.kind}:${item.id}`) ?? [], window.to),
  }));
  return { window, ...reportFigures(stays, window) };
}

/** `/cmd-report [month]`: the report of a calendar month (`2027-03`), by default the last one that has ended. */
export function monthReport(ctx: ServiceContext, month: string | null): ProcessReport {
  return processReport(ctx, monthWindow(month, ctx.clock.now(), ctx.rules.timeZone));
}
