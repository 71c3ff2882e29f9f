/**
 * A release's documents (src/domain/release-documents.ts): its release notes, the distribution document for EGI's
 * repository front end and one file per product; and the notes staff write before publishing, which replace the
 * draft in them.
 *
 * A planned release is described with the tickets it would hold if it froze now (its candidates); a frozen or
 * published one with the tickets it holds (its release items), whatever became Ready since.
 */
import { reportsOfSubmission } from '../db/repositories/early-adopter-reports.js';
import { setReleaseNotes } from '../db/repositories/releases.js';
import {
  type ProductOfRelease,
  type ReleaseDocuments,
  releaseDocuments,
} from '../domain/release-documents.js';
import { releaseLabel } from '../domain/releases.js';
import { type Caller, type ServiceContext, transact } from './context.js';
import { ConflictError, InvalidInputError } from './errors.js';
import { bySubmission, getRelease, loadRelease, refuseUnlessStaff, type TicketOnItsWay } from './releases.js';

/** The release notes, distribution document and product files of the release named `UMD-5.1.0`. */
export function getReleaseDocuments(ctx: ServiceContext, name: string): ReleaseDocuments {
  const release = loadRelease(ctx, ctx.db, name);
  if (release.state === 'cancelled') {
    throw new ConflictError(
      `${releaseLabel(release)} was cancelled: it will not be published, so it has no release notes.`,
    );
  }
  // What it holds (frozen, published) or would hold now (planned): its view's candidates.
  const products = bySubmission(getRelease(ctx, name).candidates).map((group): ProductOfRelease => {
    const [{ submission, product }] = group as [TicketOnItsWay, ...TicketOnItsWay[]];
    const ticketIds = new Set(group.map((held) => held.ticket.id));
    return {
      card: product,
      submission,
      tickets: group.map(({ ticket }) => ({
        platform: ticket.platform,
        packages: ticket.packages,
        qcResults: ticket.qcResults,
        changedAt: ticket.state.enteredAt,
      })),
      reports: reportsOfSubmission(ctx.db, submission.id).filter((report) => ticketIds.has(report.ticketId)),
    };
  });
  return releaseDocuments({
    release,
    products,
    zone: ctx.rules.timeZone,
    platforms: ctx.platformNames,
  });
}

/** What the release notes' form holds: the staff's text, or the text drafted from the data. */
export interface ReleaseNotesText {
  readonly description: string;
  readonly installationNotes: string;
  /** One known issue per line. */
  readonly knownIssues: string;
}

/** The form's text, with the release's name as messages say it ("UMD 5.1.0") for its title. */
export function releaseNotesText(
  ctx: ServiceContext,
  name: string,
): ReleaseNotesText & { readonly label: string } {
  const documents = getReleaseDocuments(ctx, name);
  return {
    label: documents.label,
    description: documents.distribution.description ?? '',
    installationNotes: documents.distribution.installationNotes ?? '',
    knownIssues: documents.knownIssueLines.join('\n'),
  };
}

const NOTE_LIMIT = 3000;

/**
 * Staff write the release's description, installation notes and known issues before publishing; they replace
 * what is drafted from the data in the release notes and the distribution document. Empty text goes back to the
 * draft.
 */
export function saveReleaseNotes(
  ctx: ServiceContext,
  name: string,
  text: Partial<ReleaseNotesText>,
  caller: Caller,
): void {
  refuseUnlessStaff(caller, 'write release notes');
  const fields = ['description', 'installationNotes', 'knownIssues'] as const;
  const problems = fields
    .filter((field) => (text[field]?.length ?? 0) > NOTE_LIMIT)
    .map((field) => ({ field, message: `Keep it to ${NOTE_LIMIT} characters.` }));
  if (problems.length > 0) throw new InvalidInputError(problems);
  transact(ctx, (tx) => {
    const release = loadRelease(ctx, tx, name);
    if (release.state === 'published' || release.state === 'cancelled') {
      throw new ConflictError(
        `${releaseLabel(release)} is ${release.state}: its notes cannot change any more.`,
      );
    }
    const value = (field: (typeof fields)[number]) =>
      text[field] === undefined ? release[field] : text[field]?.trim() || null;
    setReleaseNotes(tx, release.id, {
      description: value('description'),
      installationNotes: value('installationNotes'),
      knownIssues: value('knownIssues'),
    });
  });
}
