/**
 * What early adopters' reports add up to: per platform, the sites where the release works and the sites that
 * found problems; and whether a ticket has a site saying it works (staff are warned before Ready without one).
 */

/** The facts of one early-adopter report these rules read (a stored report has more). */
export interface ReportFacts {
  readonly ticketId: number;
  readonly platform: string;
  readonly site: string;
  readonly outcome: 'works' | 'problem';
  /** What happened (a problem), or the site's notes (works). */
  readonly details: string | null;
  readonly workaround: string | null;
  /** Whether the site was on the product's card when it reported. */
  readonly listedSite: boolean;
}

export const INSTALL_KINDS = ['new', 'upgrade'] as const;
export type InstallKind = (typeof INSTALL_KINDS)[number];

/** Whether some site reported "Installed, works" on this ticket (its platform of this release). */
export function hasWorksReport(
  reports: readonly Pick<ReportFacts, 'ticketId' | 'outcome'>[],
  ticketId: number,
) {
  return reports.some((report) => report.ticketId === ticketId && report.outcome === 'works');
}

export interface SiteOfReport {
  readonly site: string;
  readonly listedSite: boolean;
}

interface PlatformReports {
  readonly ticketId: number;
  readonly platform: string;
  /** Sites that reported "Installed, works", each once (sites differing only in case are one). */
  readonly works: readonly SiteOfReport[];
  /** Sites that found problems, each once; `workaround`: one of its problem reports gives a workaround. */
  readonly problems: readonly (SiteOfReport & { readonly workaround: boolean })[];
}

/**
 * The reports of each of `tickets` (in their order), by site. A site can be in both lists (one person found it
 * works, another a problem): each list says what was reported, nothing is netted out.
 */
export function reportsByPlatform(
  tickets: readonly { readonly id: number; readonly platform: string }[],
  reports: readonly ReportFacts[],
): PlatformReports[] {
  return tickets.map((ticket) => {
    const works = new Map<string, SiteOfReport>();
    const problems = new Map<string, SiteOfReport & { workaround: boolean }>();
    for (const report of reports) {
      if (report.ticketId !== ticket.id) continue;
      const key = report.site.trim().toLowerCase();
      if (report.outcome === 'works') {
        if (!works.has(key)) works.set(key, { site: report.site, listedSite: report.listedSite });
      } else {
        const earlier = problems.get(key);
        const workaround = Boolean(report.workaround?.trim()) || (earlier?.workaround ?? false);
        problems.set(key, { site: earlier?.site ?? report.site, listedSite: report.listedSite, workaround });
      }
    }
    return {
      ticketId: ticket.id,
      platform: ticket.platform,
      works: [...works.values()],
      problems: [...problems.values()],
    };
  });
}

/**
 * How a site installed the release, "new install" or "upgrade from 6.20.0" ("upgrade from an earlier version" when
 * it did not say which); null for reports sent before the form asked.
 */
export function installText(report: {
  readonly installKind: InstallKind | null;
  readonly upgradedFrom: string | null;
}): string | null {
  if (report.installKind === 'upgrade') return `upgrade from ${report.upgradedFrom ?? 'an earlier version'}`;
  return report.installKind === 'new' ? 'new install' : null;
}

/**
 * What a report says beyond its site and outcome, each part that it has: `upgrade from 6.20.0`, `tested: …`,
 * `what happened: …` (`notes: …` for one that works), `workaround: …`. Plain text, for the CLI and the export.
 */
export function reportDetails(report: {
  readonly outcome: 'works' | 'problem';
  readonly installKind: InstallKind | null;
  readonly upgradedFrom: string | null;
  readonly tested: string | null;
  readonly details: string | null;
  readonly workaround: string | null;
}): string[] {
  return [
    installText(report),
    report.tested ? `tested: ${report.tested}` : null,
    report.details ? `${report.outcome === 'problem' ? 'what happened' : 'notes'}: ${report.details}` : null,
    report.workaround ? `workaround: ${report.workaround}` : null,
  ].filter((part) => part !== null);
}

/** People's multi-line text as one line, for a summary, a thread reply or a history row. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
