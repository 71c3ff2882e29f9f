/**
 * A release's documents (src/domain/release-documents.ts): its release notes, the distribution document for EGI's
 * repository front end and one file per product. Read-only.
 *
 * A planned release is described with the tickets it would hold if it froze now (its candidates); a frozen or
 * published one with the tickets it holds (its release items), whatever became Ready since.
 */
import { reportsOfSubmission } from '../db/repositories/early-adopter-reports.js';
import { findRelease, itemsOfRelease, type Release } from '../db/repositories/releases.js';
import type { Submission } from '../db/repositories/submissions.js';
import type { Ticket } from '../db/repositories/tickets.js';
import type { ProductCard } from '../domain/product.js';
import {
  type ProductOfRelease,
  type ReleaseDocuments,
  releaseDocuments,
} from '../domain/release-documents.js';
import { parseReleaseName, releaseLabel } from '../domain/releases.js';
import type { ServiceContext } from './context.js';
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js';
import { getRelease } from './releases.js';
import { loadSubmission } from './submissions.js';
import { loadTicket } from './tickets.js';

interface Held {
  readonly ticket: Ticket;
  readonly submission: Submission;
  readonly product: ProductCard;
}

function loadRelease(ctx: ServiceContext, name: string): Release {
  const parsed = parseReleaseName(name, ctx.distributions);
  if (!parsed.ok) throw new InvalidInputError([{ field: 'name', message: parsed.message }]);
  const release = findRelease(ctx.db, parsed.name.distribution, parsed.name.version);
  if (!release) {
    throw new NotFoundError(
      `There is no release ${releaseLabel(parsed.name)}; plan it with /cmd-release new.`,
    );
  }
  return release;
}

/** The tickets a release holds (frozen, published) or would hold now (planned). */
function heldBy(ctx: ServiceContext, release: Release, name: string): Held[] {
  if (release.state === 'planned') {
    return getRelease(ctx, name).candidates.map(({ ticket, submission, product }) => ({
      ticket,
      submission,
      product,
    }));
  }
  return itemsOfRelease(ctx.db, release.id).map((item) => {
    const ticket = loadTicket(ctx.db, item.ticketId);
    return { ticket, ...loadSubmission(ctx.db, ticket.submissionId) };
  });
}

/** The release notes, distribution document and product files of the release named `UMD-5.1.0`. */
export function getReleaseDocuments(ctx: ServiceContext, name: string): ReleaseDocuments {
  const release = loadRelease(ctx, name);
  if (release.state === 'cancelled') {
    throw new ConflictError(
      `${releaseLabel(release)} was cancelled: it will not be published, so it has no release notes.`,
    );
  }
  const bySubmission = new Map<number, Held[]>();
  for (const held of heldBy(ctx, release, name)) {
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
