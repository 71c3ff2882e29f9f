/**
 * The release train: numbered UMD/CMD releases, the tickets on their way to each, and the freeze at the cut-off
 * (run by the delay check, exactly once: the release moves from planned to frozen only where it still is planned).
 *
 * Until its cut-off, the next planned release of a distribution collects every ticket of that distribution that is
 * Ready (its candidates). Only what staff change by hand is stored before the freeze (a ticket added to a planned
 * release, or taken out of one, in release_items); everything else moves to the next release simply by not being
 * in this one.
 */
import { DateTime } from 'luxon';
import type { DB } from '../db/index.js';
import { appendHistory } from '../db/repositories/audit.js';
import { enqueue, type NewOutboxRow } from '../db/repositories/outbox.js';
import {
  addReleaseItems,
  changeReleaseState,
  findRelease,
  freeTicketsOfDistribution,
  insertRelease,
  itemsOfRelease,
  itemsTakenOut,
  listReleases,
  type Release,
  type ReleaseItem,
  releaseHolding,
  releasesDueToFreeze,
  releasesOf,
  removeReleaseItem,
  setReleaseItem,
  type TicketPlace,
} from '../db/repositories/releases.js';
import type { Submission } from '../db/repositories/submissions.js';
import { findTicket, saveTicketState, type Ticket } from '../db/repositories/tickets.js';
import { formatLocal } from '../domain/deadlines.js';
import { formatSubmissionId, formatTicketId } from '../domain/ids.js';
import { parseHttpLink } from '../domain/links.js';
import type { ProductCard } from '../domain/product.js';
import {
  cutoffOf,
  type Forecast,
  forecastOf,
  formatReleaseName,
  isAtRisk,
  isOnTheTrain,
  parseReleaseDate,
  parseReleaseName,
  releaseLabel,
} from '../domain/releases.js';
import { TICKET_TABLE } from '../domain/ticket-machine.js';
import { zoneFor } from '../domain/zones.js';
import { joinMd, link, type Mrkdwn, md, mention } from '../mrkdwn.js';
import { type Caller, type ServiceContext, transact } from './context.js';
import { ConflictError, InvalidInputError, NotFoundError, RefusedError } from './errors.js';
import { outboxRowsFor } from './notices/index.js';
import { loadSubmission } from './submissions.js';

export interface NewReleaseInput {
  /** Such as UMD-5.1.0. */
  readonly name: string;
  /** YYYY-MM-DD, in CMD_TIMEZONE. */
  readonly date: string;
  /** A security release: its contents freeze at once. */
  readonly security?: boolean;
}

/** Releases are the UMD team's: anyone else is refused, saying so. */
export function refuseUnlessStaff(caller: Caller, what: string): void {
  if (caller.staff) return;
  throw new RefusedError({
    kind: 'wrong_role',
    message: `Only the UMD team can ${what}.`,
    currentStatus: 'none',
    allowedMoves: [],
    people: [],
  });
}

/** Staff plan a release; refused for a past date, a name that exists, or a version of another major. */
export function createRelease(ctx: ServiceContext, input: NewReleaseInput, caller: Caller): Release {
  refuseUnlessStaff(caller, 'plan releases');
  const zone = ctx.rules.timeZone;
  const name = parseReleaseName(input.name, ctx.distributions);
  const day = parseReleaseDate(input.date, zone);
  const problems = [
    name.ok ? null : { field: 'name', message: name.message },
    day
      ? null
      : { field: 'date', message: `"${input.date}" is not a date: write it YYYY-MM-DD, such as 2027-03-15.` },
  ].filter((problem) => problem !== null);
  if (problems.length > 0 || !name.ok || !day) throw new InvalidInputError(problems);

  return transact(ctx, (tx, now) => {
    const localToday = DateTime.fromJSDate(now, { zone: zoneFor(zone) }).toISODate() ?? '';
    if (input.date.trim() < localToday) {
      throw new InvalidInputError([
        {
          field: 'date',
          message: `${input.date.trim()} is in the past (today is ${localToday} in ${zone}).`,
        },
      ]);
    }
    const existing = findRelease(tx, name.name.distribution, name.name.version);
    if (existing) {
      throw new ConflictError(
        `${releaseLabel(name.name)} already exists (${existing.state}, release date ${existing.releaseDate}).`,
      );
    }
    const security = input.security ?? false;
    const release = insertRelease(tx, {
      distribution: name.name.distribution,
      version: name.name.version,
      releaseDate: input.date.trim(),
      security,
      cutoffAt: cutoffOf(input.date.trim(), ctx.releases.cutoff, zone, { immediately: security, now }),
      state: 'planned',
      createdBy: caller.userId,
      createdAt: now,
    });
    enqueue(
      tx,
      [
        {
          key: `REL-${release.id}:planned`,
          recipientKind: 'team_channel',
          recipient: 'umd',
          submissionId: null,
          payload: {
            topic: 'release_planned',
            text: md`${mention(caller.userId)} planned *${releaseLabel(release)}*${security ? ' (security)' : ''} for ${release.releaseDate}; its contents freeze ${formatLocal(release.cutoffAt, zone)}.`,
          },
        },
      ],
      now,
    );
    return release;
  });
}

export interface TicketOnItsWay {
  readonly ticket: Ticket;
  readonly submission: Submission;
  readonly product: ProductCard;
  readonly forecast: Forecast;
  /** Added to the release, or taken out of it, by hand: who did it and why. */
  readonly byHand?: { readonly by: string; readonly reason: string | null };
}

export interface ReleaseView {
  readonly release: Release;
  /**
   * Frozen or published: the tickets it holds. Planned: the tickets that would join if it froze now (what is
   * Ready, for the next planned release, and what staff added by hand).
   */
  readonly candidates: readonly TicketOnItsWay[];
  /** Tickets of its distribution not Ready yet, with whether they can make the cut-off. */
  readonly onTheWay: readonly TicketOnItsWay[];
  /** Planned: tickets staff took out by hand; they slip at the freeze, even when Ready. */
  readonly takenOut: readonly TicketOnItsWay[];
}

/** A ticket placed in a release's view: its forecast, and the item that put it there by hand, if any. */
interface Placed {
  readonly place: TicketPlace;
  readonly forecast: Forecast;
  readonly item?: ReleaseItem | undefined;
}

const placeOf = (ticket: Ticket): TicketPlace => ({
  id: ticket.id,
  status: ticket.state.status,
  deadline: ticket.state.deadline,
  enteredAt: ticket.state.enteredAt,
});

/**
 * Each ticket whole, with its submission and Product ID card, each submission read once (a release's tickets are
 * mostly several platforms of a few submissions).
 */
function withSubmissions(tx: DB): (placed: Placed) => TicketOnItsWay {
  const loaded = new Map<number, ReturnType<typeof loadSubmission>>();
  return ({ place, forecast, item }) => {
    const ticket = findTicket(tx, place.id);
    if (!ticket) throw new NotFoundError(`There is no ticket ${formatTicketId(place.id)}.`);
    let found = loaded.get(ticket.submissionId);
    if (!found) {
      found = loadSubmission(tx, ticket.submissionId);
      loaded.set(ticket.submissionId, found);
    }
    const byHand = item && item.addedBy !== FROZEN_BY ? { by: item.addedBy, reason: item.reason } : undefined;
    return { ticket, ...found, forecast, ...(byHand ? { byHand } : {}) };
  };
}

/** Who added the items that joined at the freeze (anyone else's were added by hand). */
const FROZEN_BY = 'freeze';

/** The next planned release of a distribution: the one its Ready tickets go to. */
function nextPlanned(tx: DB, distribution: string): Release | undefined {
  return releasesOf(tx, distribution).find((release) => release.state === 'planned');
}

/**
 * What ticket `ticketId` of `distribution`, Ready at `now`, will be part of, in words for its product team:
 * "UMD 5.1.0 (its contents freeze …)", or null when no planned release will still take it. A planned release
 * staff added it to by hand holds it; otherwise the first planned release whose cut-off is ahead and that staff
 * did not take it out of.
 */
export function releaseAhead(
  ctx: ServiceContext,
  tx: DB,
  distribution: string,
  ticketId: number,
  now: Date,
): Mrkdwn | null {
  const ahead = (release: Release) => release.state === 'planned' && release.cutoffAt > now;
  const holding = releaseHolding(tx, ticketId);
  const release =
    holding ??
    releasesOf(tx, distribution).find(
      (planned) =>
        ahead(planned) && !itemsTakenOut(tx, planned.id).some((item) => item.ticketId === ticketId),
    );
  if (!release || !ahead(release)) return null;
  return md`${releaseLabel(release)} (its contents freeze ${formatLocal(release.cutoffAt, ctx.rules.timeZone)})`;
}

interface Placement {
  readonly candidates: readonly Placed[];
  readonly onTheWay: readonly Placed[];
  readonly takenOut: readonly Placed[];
}

/**
 * Where the tickets stand for a release at `at` (see ReleaseView), without their submissions: a distribution may
 * have thousands of tickets on their way, and the App Home and the digest show a few.
 */
function placementOf(ctx: ServiceContext, tx: DB, release: Release, at: Date): Placement {
  const zone = ctx.rules.timeZone;
  const added = new Map(itemsOfRelease(tx, release.id).map((item) => [item.ticketId, item]));
  const placesOf = (items: ReadonlyMap<number, ReleaseItem>) =>
    [...items.keys()].flatMap((id) => {
      const ticket = findTicket(tx, id);
      return ticket ? [placeOf(ticket)] : [];
    });
  if (release.state !== 'planned') {
    // What it holds, whatever those tickets became since (Released, once published).
    return {
      candidates: placesOf(added).map((place) => ({
        place,
        forecast: { kind: 'candidate' },
        item: added.get(place.id),
      })),
      onTheWay: [],
      takenOut: [],
    };
  }
  const takenOut = new Map(itemsTakenOut(tx, release.id).map((item) => [item.ticketId, item]));
  const onTheTrain = (place: TicketPlace) => isOnTheTrain(place.status);
  const free = freeTicketsOfDistribution(tx, release.distribution).filter((t) => !takenOut.has(t.id));
  const isNext = nextPlanned(tx, release.distribution)?.id === release.id;
  const ready = (place: TicketPlace) => place.status === 'ready';
  const forecast = (place: TicketPlace): Forecast =>
    forecastOf(place, ctx.rules.limits, release.cutoffAt, zone, at);
  return {
    candidates: [...placesOf(added).filter(onTheTrain), ...(isNext ? free.filter(ready) : [])]
      .sort((a, b) => a.id - b.id)
      .map((place) => ({ place, forecast: forecast(place), item: added.get(place.id) })),
    onTheWay: free.filter((t) => !ready(t)).map((place) => ({ place, forecast: forecast(place) })),
    takenOut: placesOf(takenOut)
      .filter(onTheTrain)
      .map((place) => ({ place, forecast: forecast(place), item: takenOut.get(place.id) })),
  };
}

/** What a release holds or would hold at `at`, and what is still on its way to it. */
function viewOf(ctx: ServiceContext, tx: DB, release: Release, at: Date): ReleaseView {
  const placement = placementOf(ctx, tx, release, at);
  const withSubmission = withSubmissions(tx);
  return {
    release,
    candidates: placement.candidates.map(withSubmission),
    onTheWay: placement.onTheWay.map(withSubmission),
    takenOut: placement.takenOut.map(withSubmission),
  };
}

export function getRelease(ctx: ServiceContext, name: string): ReleaseView {
  return viewOf(ctx, ctx.db, loadRelease(ctx, ctx.db, name), ctx.clock.now());
}

export interface FrozenRelease {
  readonly release: Release;
  readonly joined: readonly number[];
  readonly slipped: readonly number[];
}

/** Why a ticket slipped, in words: taken out by hand, or its stage and the moves ahead of it. */
function whySlipped(c: TicketOnItsWay): Mrkdwn {
  if (c.byHand) return md`taken out by the UMD team${c.byHand.reason ? md`: ${c.byHand.reason}` : ''}`;
  return stillNeeds(c.ticket);
}

/** What a slipped ticket still needs, in words: its stage, and the moves ahead of it. */
function stillNeeds(ticket: Ticket): Mrkdwn {
  const stage = TICKET_TABLE[ticket.state.status].label;
  const ahead: Record<string, string> = {
    unverified: 'verification in a testbed, then staged rollout with early adopters',
    verification: 'to pass verification, then staged rollout with early adopters',
    staged_rollout: 'early adopters to confirm it works, then Ready for release',
    delayed: 'the delay to be resolved, then the rest of its stages',
    waiting_for_provider: 'what the UMD team asked the provider for',
    ready: 'nothing more: it became Ready after the cut-off',
  };
  return md`${stage}; it still needs ${ahead[ticket.state.status] ?? 'its remaining stages'}`;
}

/**
 * Freezes every planned release whose cut-off has come (called by the delay check, in its transaction): its
 * candidates (Ready at the cut-off, or added by hand) join it, and every other live ticket of its distribution,
 * those taken out by hand too, slips to the next
 * planned release, or to none. The UMD channel gets the list; the product team of each ticket that slipped is
 * told its stage and what it still needs. A release another process froze first is left alone.
 */
export function freezeDueReleases(
  ctx: ServiceContext,
  tx: DB,
  at: Date,
  queue: (rows: readonly NewOutboxRow[]) => void,
): FrozenRelease[] {
  const frozen: FrozenRelease[] = [];
  for (const release of releasesDueToFreeze(tx, at)) {
    const view = viewOf(ctx, tx, release, at);
    if (!changeReleaseState(tx, release.id, 'planned', 'frozen', at)) continue;
    // Ready by the cut-off, or added by hand: a ticket that became Ready after it (the check ran late) slips
    // like the others.
    const joins = (c: TicketOnItsWay) =>
      c.byHand !== undefined || c.ticket.state.enteredAt <= release.cutoffAt;
    const joined = view.candidates.filter(joins);
    const slipped = [
      ...view.candidates.filter((c) => !joins(c)),
      ...view.onTheWay.filter((c) => c.forecast.kind !== 'out'),
      ...view.takenOut,
    ];
    addReleaseItems(
      tx,
      joined.map((c) => ({
        releaseId: release.id,
        ticketId: c.ticket.id,
        addedBy: FROZEN_BY,
        reason: null,
        at,
      })),
    );
    const label = releaseLabel(release);
    const next = nextPlanned(tx, release.distribution);
    const nextText = next ? releaseLabel(next) : 'no release planned yet';
    const line = (c: TicketOnItsWay) =>
      md`• ${formatTicketId(c.ticket.id)} ${c.product.name} ${c.submission.version} ${c.ticket.platform}`;
    queue([
      {
        key: `REL-${release.id}:frozen`,
        recipientKind: 'team_channel',
        recipient: 'umd',
        submissionId: null,
        payload: {
          topic: 'release_frozen',
          release: formatReleaseName(release),
          text: md`*${label}* is frozen (cut-off reached): ${joined.length} ticket${joined.length === 1 ? '' : 's'} in it${joined.length > 0 ? md`:\n${joinMd(joined.slice(0, 30).map(line), '\n')}` : '.'}${
            slipped.length > 0
              ? md`\n${slipped.length} slipped to ${nextText}:\n${joinMd(slipped.slice(0, 30).map(line), '\n')}`
              : ''
          }`,
        },
      },
    ]);
    for (const group of bySubmission(slipped)) {
      const [first] = group;
      if (!first) continue;
      queue(
        outboxRowsFor({
          changeKey: `REL-${release.id}:freeze`,
          product: first.product,
          submission: first.submission,
          ticketIds: group.map((c) => c.ticket.id),
          notices: [{ audience: 'product_team', topic: 'release_slipped' }],
          textOf: () =>
            md`${first.product.name} ${first.submission.version} (${formatSubmissionId(first.submission.id)}) is not in *${label}*: ${group.some((c) => !c.byHand) ? 'its contents froze before it was ready' : 'the UMD team took it out before its contents froze'}, so it moves to ${nextText}.\n${joinMd(
              group.map((c) => md`• ${formatTicketId(c.ticket.id)} ${c.ticket.platform}: ${whySlipped(c)}.`),
              '\n',
            )}`,
        }),
      );
    }
    frozen.push({
      release: { ...release, state: 'frozen', frozenAt: at },
      joined: joined.map((c) => c.ticket.id),
      slipped: slipped.map((c) => c.ticket.id),
    });
  }
  return frozen;
}

/** The release `name` (UMD-5.1.0), or a NotFoundError that says how to plan it. */
export function loadRelease(ctx: ServiceContext, tx: DB, name: string): Release {
  const parsed = parseReleaseName(name, ctx.distributions);
  if (!parsed.ok) throw new InvalidInputError([{ field: 'name', message: parsed.message }]);
  const release = findRelease(tx, parsed.name.distribution, parsed.name.version);
  if (!release) {
    throw new NotFoundError(
      `There is no release ${releaseLabel(parsed.name)}; plan it with /cmd-release new.`,
    );
  }
  return release;
}

export interface PublishedRelease {
  readonly release: Release;
  /** The tickets now Released. */
  readonly released: readonly number[];
  /** Tickets it held that are not Ready any more (rejected or superseded since): left out. */
  readonly skipped: readonly number[];
}

/**
 * Staff publish a frozen release: its tickets become Released (with the release's name), each product team and
 * submitter is told that their product is part of it, with the notes' link, and the early adopters' channel gets
 * the announcement. Refused before the freeze, and for a release already published or cancelled.
 */
export function publishRelease(
  ctx: ServiceContext,
  name: string,
  options: { readonly notesUrl?: string | null },
  caller: Caller,
): PublishedRelease {
  refuseUnlessStaff(caller, 'publish releases');
  const notesUrl = options.notesUrl?.trim() ? parseHttpLink(options.notesUrl.trim()) : null;
  if (options.notesUrl?.trim() && !notesUrl) {
    throw new InvalidInputError([
      { field: 'notesUrl', message: 'The release notes link must start with http:// or https://.' },
    ]);
  }
  return transact(ctx, (tx, now) => {
    const release = loadRelease(ctx, tx, name);
    const label = releaseLabel(release);
    if (release.state !== 'frozen') {
      throw new ConflictError(
        release.state === 'planned'
          ? `${label} is not frozen yet: its contents freeze ${formatLocal(release.cutoffAt, ctx.rules.timeZone)}; publish it after that.`
          : `${label} is ${release.state} already.`,
      );
    }
    changeReleaseState(tx, release.id, 'frozen', 'published', now, { notesUrl });
    const released: TicketOnItsWay[] = [];
    const withSubmission = withSubmissions(tx);
    const skipped: number[] = [];
    for (const item of itemsOfRelease(tx, release.id)) {
      const ticket = findTicket(tx, item.ticketId);
      if (ticket?.state.status !== 'ready') {
        skipped.push(item.ticketId);
        continue;
      }
      const state = {
        ...ticket.state,
        status: 'released' as const,
        version: ticket.state.version + 1,
        enteredAt: now,
        reason: label,
      };
      if (!saveTicketState(tx, ticket.id, ticket.state.version, state)) {
        throw new ConflictError(
          `${formatTicketId(ticket.id)} changed while ${label} was being published; publish it again.`,
        );
      }
      appendHistory(tx, {
        subjectType: 'ticket',
        subjectId: ticket.id,
        event: 'release',
        fromStatus: 'ready',
        toStatus: 'released',
        actor: caller.userId,
        reason: `published in ${label}`,
        at: now,
      });
      released.push({
        ...withSubmission({ place: placeOf(ticket), forecast: { kind: 'candidate' } }),
        ticket: { ...ticket, state },
      });
    }
    const notes = notesUrl ? md` Release notes: ${link(notesUrl)}.` : '';
    const rows: NewOutboxRow[] = [];
    for (const group of bySubmission(released)) {
      const [first] = group;
      if (!first) continue;
      rows.push(
        ...outboxRowsFor({
          changeKey: `REL-${release.id}:published`,
          product: first.product,
          submission: first.submission,
          ticketIds: group.map((c) => c.ticket.id),
          notices: [{ audience: 'product_team', topic: 'release_published' }],
          textOf: () =>
            md`${first.product.name} ${first.submission.version} (${formatSubmissionId(first.submission.id)}) on ${group.map((c) => c.ticket.platform).join(', ')} is part of *${label}*, published ${release.releaseDate}.${notes}`,
        }),
      );
    }
    const products = [...new Set(released.map((c) => `${c.product.name} ${c.submission.version}`))];
    for (const [recipient, topic] of [
      ['early_adopters', 'release_announcement'],
      ['umd', 'release_published'],
    ] as const) {
      rows.push({
        key: `REL-${release.id}:published:${recipient}`,
        recipientKind: 'team_channel',
        recipient,
        submissionId: null,
        payload: {
          topic,
          text: md`*${label}*${release.security ? ' (security)' : ''} is published: ${products.length > 0 ? products.join(', ') : 'no products'}.${notes}`,
        },
      });
    }
    enqueue(tx, rows, now);
    return {
      release: { ...release, state: 'published', publishedAt: now, notesUrl },
      released: released.map((c) => c.ticket.id),
      skipped,
    };
  });
}

/** A release's tickets grouped by their submission (one product release each), in the order first met. */
export function bySubmission<T extends { readonly submission: { readonly id: number } }>(
  items: readonly T[],
): T[][] {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(item.submission.id);
    if (group) group.push(item);
    else groups.set(item.submission.id, [item]);
  }
  return [...groups.values()];
}

/**
 * Staff cancel a release that is not published: the tickets it held go back to the next planned release (they
 * are candidates of no cancelled release), each with the reason in its history; the UMD channel is told.
 */
export function cancelRelease(ctx: ServiceContext, name: string, reason: string, caller: Caller): Release {
  refuseUnlessStaff(caller, 'cancel releases');
  if (!reason.trim())
    throw new InvalidInputError([{ field: 'reason', message: 'Say why the release is cancelled.' }]);
  return transact(ctx, (tx, now) => {
    const release = loadRelease(ctx, tx, name);
    const label = releaseLabel(release);
    if (release.state === 'published' || release.state === 'cancelled') {
      throw new ConflictError(`${label} is ${release.state} already.`);
    }
    changeReleaseState(tx, release.id, release.state, 'cancelled', now, { cancelledReason: reason.trim() });
    for (const item of itemsOfRelease(tx, release.id)) {
      const ticket = findTicket(tx, item.ticketId);
      if (!ticket) continue;
      appendHistory(tx, {
        subjectType: 'ticket',
        subjectId: ticket.id,
        event: 'release_cancelled',
        fromStatus: ticket.state.status,
        toStatus: ticket.state.status,
        actor: caller.userId,
        reason: `${label} cancelled: ${reason.trim()}`,
        at: now,
      });
    }
    const next = nextPlanned(tx, release.distribution);
    enqueue(
      tx,
      [
        {
          key: `REL-${release.id}:cancelled`,
          recipientKind: 'team_channel',
          recipient: 'umd',
          submissionId: null,
          payload: {
            topic: 'release_cancelled',
            text: md`*${label}* is cancelled by ${mention(caller.userId)}: ${reason.trim()}. Its tickets go to ${next ? releaseLabel(next) : 'the next release planned'}.`,
          },
        },
      ],
      now,
    );
    return { ...release, state: 'cancelled', cancelledReason: reason.trim() };
  });
}

/**
 * Staff add a Ready ticket to a release, or take one out, by hand, with a reason recorded in the ticket's history,
 * until it is published. Before the freeze, an added ticket joins at the freeze whatever release is next, and a
 * ticket taken out slips then, even if Ready (what is Ready goes to the next planned release by itself).
 */
export function changeReleaseContents(
  ctx: ServiceContext,
  input: {
    readonly name: string;
    readonly ticketId: number;
    readonly change: 'add' | 'remove';
    readonly reason: string;
  },
  caller: Caller,
): Release {
  refuseUnlessStaff(caller, 'change what a release holds');
  const reason = input.reason.trim();
  if (!reason) {
    throw new InvalidInputError([{ field: 'reason', message: "Say why, for the ticket's history." }]);
  }
  return transact(ctx, (tx, now) => {
    const release = loadRelease(ctx, tx, input.name);
    const label = releaseLabel(release);
    if (release.state !== 'planned' && release.state !== 'frozen') {
      throw new ConflictError(`${label} is ${release.state}: its contents cannot change any more.`);
    }
    const ticket = findTicket(tx, input.ticketId);
    if (!ticket) throw new NotFoundError(`There is no ticket ${formatTicketId(input.ticketId)}.`);
    const id = formatTicketId(ticket.id);
    const { submission } = loadSubmission(tx, ticket.submissionId);
    if (submission.distribution !== release.distribution) {
      throw new ConflictError(`${id} is for ${submission.distribution}, not ${release.distribution}.`);
    }
    // Where the tickets stand, without reading their submissions: only this ticket's place matters here.
    const placement = placementOf(ctx, tx, release, now);
    const isThis = ({ place }: Placed) => place.id === ticket.id;
    const inIt = placement.candidates.find(isThis);
    const item = { releaseId: release.id, ticketId: ticket.id, addedBy: caller.userId, reason, at: now };
    if (input.change === 'add') {
      if (ticket.state.status !== 'ready') {
        throw new ConflictError(`${id} is ${TICKET_TABLE[ticket.state.status].label}, not Ready.`);
      }
      if (inIt) {
        throw new ConflictError(
          release.state === 'planned' && !inIt.item
            ? `${id} is a candidate of ${label} already: it joins at the freeze.`
            : `${id} is in ${label} already.`,
        );
      }
      const holding = releaseHolding(tx, ticket.id);
      if (holding) throw new ConflictError(`${id} is in ${releaseLabel(holding)} already.`);
      setReleaseItem(tx, { ...item, excluded: false });
    } else if (release.state === 'frozen') {
      if (!removeReleaseItem(tx, release.id, ticket.id)) throw new ConflictError(`${id} is not in ${label}.`);
    } else {
      if (!inIt && !placement.onTheWay.some(isThis)) {
        throw new ConflictError(
          placement.takenOut.some(isThis)
            ? `${id} is taken out of ${label} already.`
            : `${id} is not on its way to ${label}.`,
        );
      }
      setReleaseItem(tx, { ...item, excluded: true });
    }
    appendHistory(tx, {
      subjectType: 'ticket',
      subjectId: ticket.id,
      event: input.change === 'add' ? 'release_added' : 'release_removed',
      fromStatus: ticket.state.status,
      toStatus: ticket.state.status,
      actor: caller.userId,
      reason: `${input.change === 'add' ? 'added to' : 'taken out of'} ${label}: ${reason}`,
      at: now,
    });
    return release;
  });
}

/** A release still to come, in one line's worth: for the App Home and the digest. */
export interface ReleaseSummary {
  readonly release: Release;
  readonly candidates: number;
  /** How many tickets on their way may miss it: their limits end after the cut-off, or delayed or waiting. */
  readonly atRiskCount: number;
  /** The first of those, in ticket order (up to `shown`). */
  readonly atRisk: readonly TicketOnItsWay[];
}

/**
 * The planned and frozen releases, earliest first, with their candidates and what may miss them (the first
 * `shown` of those with their submissions; the rest counted).
 */
export function upcomingReleases(
  ctx: ServiceContext,
  at: Date = ctx.clock.now(),
  tx: DB = ctx.db,
  shown = 15,
): ReleaseSummary[] {
  const withSubmission = withSubmissions(tx);
  return listReleases(tx)
    .filter((release) => release.state === 'planned' || release.state === 'frozen')
    .map((release) => {
      const placement = placementOf(ctx, tx, release, at);
      const atRisk = placement.onTheWay.filter(({ forecast }) => isAtRisk(forecast));
      return {
        release,
        candidates: placement.candidates.length,
        atRiskCount: atRisk.length,
        atRisk: atRisk.slice(0, shown).map(withSubmission),
      };
    });
}
