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
import type { Submission } from '../db/repositories/submissions.js';
import type { Ticket } from '../db/repositories/tickets.js';
import type { ProductCard } from '../domain/product.js';
import {
  type ProductOfRelease,
  type ReleaseDocuments,
  releaseDocuments,
} from '../domain/release-documents.js';
import { releaseLabel } from '../domain/releases.js';
import { type Caller, type ServiceContext, transact } from './context.js';
import { ConflictError, InvalidInputError } from './errors.js';
import { getRelease, loadRelease, refuseUnlessStaff } from './releases.js';

interface Held {
  readonly ticket: Ticket;
  readonly submission: Submission;
  readonly product: ProductCard;
}

/** The tickets a release holds (frozen, published) or would hold now (planned): its view's candidates. */
function heldBy(ctx: ServiceContext, name: string): Held[] {
  return getRelease(ctx, name).candidates.map(({ ticket, submission, product }) => ({
    ticket,
    submission,
    product,
  }));
}

/** The release notes, distribution document and product files of the release named `UMD-5.1.0`. */
export function getReleaseDocuments(ctx: ServiceContext, name: string): ReleaseDocuments {
  const release = loadRelease(ctx, ctx.db, name);
  if (release.state === 'cancelled') {
    throw new ConflictError(
      `${releaseLabel(release)} was cancelled: it will not be published, so it has no release notes.`,
    );
  }
  const bySubmission = new Map<number, Held[]>();
  for (const held of heldBy(ctx, name)) {
    bySubmission.set(held.submission.id, [...(bySubmission.get(held.submission.id) ?? []), held]);
  }
  const products = [...bySubmission.values()].map((group): ProductOfRelease => {
    const [{ submission, product }] = group as [Held, ...Held[]];
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
    platforms: { platforms: ctx.platforms, aliases: ctx.platformAliases },
  });
}

/** What the release notes' form holds: the staff's text, or the text drafted from the data. */
export interface ReleaseNotesText {
  readonly description: string;
  readonly installationNotes: string;
  /** One known issue per line. */
  readonly knownIssues: string;
}

export function releaseNotesText(ctx: ServiceContext, name: string): ReleaseNotesText {
  const documents = getReleaseDocuments(ctx, name);
  return {
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
