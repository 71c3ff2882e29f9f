/**
 * The CSV export: one row per submission, per ticket and per release, with its history in one field (and a
 * ticket's early-adopter reports in another), every cell safe to open in a spreadsheet. Pure.
 */

import { reportDetails } from '../domain/early-adopter-reports.js';
import { formatSubmissionId, formatTicketId } from '../domain/ids.js';
import { qcSummaryLine } from '../domain/quality-criteria.js';
import type { exportAll } from '../services/index.js';

type ExportData = ReturnType<typeof exportAll>;

export const CSV_COLUMNS = [
  'id',
  'kind',
  'product',
  'version',
  'distribution',
  'platform',
  'status',
  'deadline',
  'security',
  'submitted_by',
  'submitted_at',
  'history',
  'ready_without_works_report',
  'early_adopter_reports',
  /** A ticket's quality-criteria results, `QC_DOC_1=ok; QC_SEC_5=warning: note` (empty before a verification). */
  'qc_results',
  /** A ticket's: the release that holds it (frozen, published, or added by hand); a release's: its own name. */
  'release',
] as const;

/**
 * A spreadsheet opening the file evaluates a cell that begins with one of these (`=HYPERLINK(…)`, `@SUM(…)`, DDE
 * calls), and some of the values are typed by providers (product names, versions). OWASP's CSV-injection advice:
 * begin such a cell with a quote mark, which makes it text. There are no numeric columns, so a `-1` is text too.
 */
const EVALUATED_LEAD = /^[=+\-@\t\r]/;

/**
 * RFC 4180: a field holding a comma, quote, CR or LF is quoted, and its quotes doubled. A field a spreadsheet
 * would evaluate is made text first (see EVALUATED_LEAD).
 */
export function csvField(value: string): string {
  const text = EVALUATED_LEAD.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

type HistoryEntry = ExportData['history'][number];

/** `2027-03-03T13:00:00.000Z U0123ABCD inject open → solved: reason` */
export function historyText(entry: HistoryEntry): string {
  const move =
    entry.fromStatus && entry.toStatus
      ? `${entry.fromStatus} → ${entry.toStatus}`
      : entry.toStatus
        ? `→ ${entry.toStatus}`
        : (entry.fromStatus ?? '');
  const reason = entry.reason ? `: ${entry.reason}` : '';
  return `${entry.at.toISOString()} ${entry.actor} ${entry.event}${move ? ` ${move}` : ''}${reason}`;
}

type Report = ExportData['earlyAdopterReports'][number];

/**
 * `SITE-A works; by U0123ABCD at 2027-03-10T09:00:00.000Z; upgrade from 6.20.0; tested: …; what happened: …;
 * workaround: …`: every detail of a report that it has (reports sent before the form asked for them have fewer).
 */
export function reportText(report: Report): string {
  return [
    `${report.site}${report.listedSite ? '' : ' (not on the card)'} ${report.outcome}`,
    `by ${report.reporter} at ${report.at.toISOString()}`,
    ...reportDetails(report),
  ].join('; ');
}

export function exportCsv(data: ExportData): string {
  const reportsOf = new Map<number, Report[]>();
  for (const report of data.earlyAdopterReports) {
    const list = reportsOf.get(report.ticketId);
    if (list) list.push(report);
    else reportsOf.set(report.ticketId, [report]);
  }
  const productNames = new Map(data.products.map((product) => [product.id, product.name]));
  const historyOf = new Map<string, HistoryEntry[]>();
  for (const entry of data.history) {
    const key = `${entry.subjectType}:${entry.subjectId}`;
    const list = historyOf.get(key);
    if (list) list.push(entry);
    else historyOf.set(key, [entry]);
  }
  const historyField = (key: string) => (historyOf.get(key) ?? []).map(historyText).join(' | ');
  const iso = (at: Date | null) => (at ? at.toISOString() : '');

  const releaseOf = new Map<number, string>();
  for (const release of data.releases) {
    if (release.state === 'cancelled') continue;
    for (const ticketId of release.ticketIds) releaseOf.set(ticketId, release.name);
  }

  let text = csvLine(CSV_COLUMNS);
  for (const submission of data.submissions) {
    const product = productNames.get(submission.productId) ?? `#${submission.productId}`;
    const common = {
      product,
      version: submission.version,
      distribution: submission.distribution,
      security: String(submission.security),
      submittedBy: submission.submittedBy,
      submittedAt: iso(submission.submittedAt),
    };
    text += csvLine([
      formatSubmissionId(submission.id),
      'submission',
      common.product,
      common.version,
      common.distribution,
      submission.platforms.join(' '),
      submission.state.status,
      iso(submission.state.deadline),
      common.security,
      common.submittedBy,
      common.submittedAt,
      historyField(`submission:${submission.id}`),
      '',
      '',
      '',
      '',
    ]);
    for (const ticket of submission.tickets) {
      text += csvLine([
        formatTicketId(ticket.id),
        'ticket',
        common.product,
        common.version,
        common.distribution,
        ticket.platform,
        ticket.state.status,
        iso(ticket.state.deadline),
        common.security,
        common.submittedBy,
        common.submittedAt,
        historyField(`ticket:${ticket.id}`),
        String(ticket.readyWithoutWorksReport),
        (reportsOf.get(ticket.id) ?? []).map(reportText).join(' | '),
        ticket.qcResults ? qcSummaryLine(ticket.qcResults) : '',
        releaseOf.get(ticket.id) ?? '',
      ]);
    }
  }
  for (const release of data.releases) {
    text += csvLine([
      release.name,
      'release',
      '',
      release.version,
      release.distribution,
      '',
      release.state,
      iso(release.cutoffAt),
      String(release.security),
      release.createdBy,
      iso(release.createdAt),
      releaseHistory(release),
      '',
      '',
      '',
      release.name,
    ]);
  }
  return text;
}

type ReleaseRow = ExportData['releases'][number];

/** A release's own history: `release date 2027-03-15 | 2027-03-09T… frozen | 2027-03-15T… published: <notes>`. */
function releaseHistory(release: ReleaseRow): string {
  return [
    `release date ${release.releaseDate}`,
    release.frozenAt ? `${release.frozenAt.toISOString()} frozen` : null,
    release.publishedAt
      ? `${release.publishedAt.toISOString()} published${release.notesUrl ? `: ${release.notesUrl}` : ''}`
      : null,
    release.state === 'cancelled' ? `cancelled: ${release.cancelledReason ?? ''}` : null,
  ]
    .filter((part) => part !== null)
    .join(' | ');
}
