/**
 * Known issues of a release. EGI's process: a problem an early adopter found and worked around goes out with
 * the release as a known issue, so that other sites know it and how to get past it.
 */
import { oneLine, type ReportFacts } from './early-adopter-reports.js';
import { type QcResult, qcWarnings } from './quality-criteria.js';

/**
 * Each problem with a workaround, as a line: `el9/x86_64: what happened — workaround: how (reported by SITE-C)`.
 * The same problem and workaround reported from several sites is one line naming them all. Plain text: the caller
 * escapes it for where it goes.
 */
export function earlyAdopterKnownIssues(reports: readonly ReportFacts[]): string[] {
  const issues = new Map<string, { platform: string; what: string; workaround: string; sites: string[] }>();
  for (const report of reports) {
    const workaround = oneLine(report.workaround ?? '');
    if (report.outcome !== 'problem' || workaround === '') continue;
    const what = oneLine(report.details ?? '') || 'a problem';
    const key = JSON.stringify([report.platform, what.toLowerCase(), workaround.toLowerCase()]);
    const issue = issues.get(key) ?? { platform: report.platform, what, workaround, sites: [] };
    if (!issue.sites.some((site) => site.toLowerCase() === report.site.toLowerCase())) {
      issue.sites.push(report.site);
    }
    issues.set(key, issue);
  }
  return [...issues.values()]
    .sort((a, b) => (a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : 0))
    .map(
      (issue) =>
        `${issue.platform}: ${issue.what} — workaround: ${issue.workaround} (reported by ${issue.sites.join(', ')})`,
    );
}

/** A Warning of the release's verification: a known issue, and the tickets (platforms) whose verification gave it. */
interface KnownIssue {
  /** `QC_SEC_5 World Writable Files: <note>` (see qcWarnings). */
  readonly text: string;
  readonly ticketIds: readonly number[];
}

/** The Warnings of the tickets' verifications as known issues: the same line from several platforms once. */
export function verificationKnownIssues(
  tickets: readonly { readonly id: number; readonly qcResults: readonly QcResult[] | null }[],
): KnownIssue[] {
  const issues = new Map<string, number[]>();
  for (const ticket of tickets) {
    for (const text of qcWarnings(ticket.qcResults ?? [])) {
      const ids = issues.get(text);
      if (ids) ids.push(ticket.id);
      else issues.set(text, [ticket.id]);
    }
  }
  return [...issues].map(([text, ticketIds]) => ({ text, ticketIds }));
}
