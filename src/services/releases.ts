/**
 * The release train: numbered UMD/CMD releases, the tickets on their way to each, and the freeze at the cut-off
 * (run by the delay check, exactly once: the release moves from planned to frozen only where it still is planned).
 *
 * Until its cut-off, the next planned release of a distribution collects every ticket of that distribution that is
 * Ready (its candidates): nothing is stored for it until the freeze, so a ticket moves to the next release simply
 * by not being in this one.
 */
import type { DB } from '../db/index.js';
import { enqueue, type NewOutboxRow } from '../db/repositories/outbox.js';
import {
  addReleaseItems,
  changeReleaseState,
  findRelease,
  insertRelease,
  itemsOfRelease,
  liveTicketsOfDistribution,
  type Release,
  releasesDueToFreeze,
  releasesOf,
  ticketsHeldByReleases,
} from '../db/repositories/releases.js';
import type { Submission } from '../db/repositories/submissions.js';
import type { Ticket } from '../db/repositories/tickets.js';
import { formatSubmissionId, formatTicketId } from '../domain/ids.js';
import type { ProductCard } from '../domain/product.js';
import {
  cutoffOf,
  type Forecast,
  forecastOf,
  parseReleaseDate,
  parseReleaseName,
  releaseLabel,
} from '../domain/releases.js';
import { TICKET_TABLE } from '../domain/ticket-machine.js';
import { joinMd, type Mrkdwn, md } from '../mrkdwn.js';
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

function refuseUnlessStaff(caller: Caller, what: string): void {
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
    const localToday = localDayOf(now, zone);
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
            text: md`${mention(caller.userId)} planned *${releaseLabel(release)}*${security ? ' (security)' : ''} for ${release.releaseDate}; its contents freeze ${when(release.cutoffAt, zone)}.`,
          },
        },
      ],
      now,
    );
    return release;
  });
}

const mention = (userId: string) => (userId.startsWith('cli:') ? md`${userId}` : md`<@${userId}>`);

function localDayOf(at: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

function when(at: Date, zone: string): string {
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(at);
  return `${local} (${zone})`;
}

export interface TicketOnItsWay {
  readonly ticket: Ticket;
  readonly submission: Submission;
  readonly product: ProductCard;
  readonly forecast: Forecast;
}

export interface ReleaseView {
  readonly release: Release;
  /** Frozen or published: the tickets it holds. Planned: the tickets that would join if it froze now. */
  readonly candidates: readonly TicketOnItsWay[];
  /** Tickets of its distribution not Ready yet, with whether they can make the cut-off. */
  readonly onTheWay: readonly TicketOnItsWay[];
}

function withSubmission(tx: DB, ticket: Ticket, forecast: Forecast): TicketOnItsWay {
  const { submission, product } = loadSubmission(tx, ticket.submissionId);
  return { ticket, submission, product, forecast };
}

/** The next planned release of a distribution: the one its Ready tickets go to. */
function nextPlanned(tx: DB, distribution: string): Release | undefined {
  return releasesOf(tx, distribution).find((release) => release.state === 'planned');
}

/** What a release holds or would hold at `at`, and what is still on its way to it. */
function viewOf(ctx: ServiceContext, tx: DB, release: Release, at: Date): ReleaseView {
  const zone = ctx.rules.timeZone;
  const live = liveTicketsOfDistribution(tx, release.distribution);
  if (release.state !== 'planned') {
    const held = new Set(itemsOfRelease(tx, release.id).map((item) => item.ticketId));
    return {
      release,
      candidates: live.filter((t) => held.has(t.id)).map((t) => withSubmission(tx, t, { kind: 'candidate' })),
      onTheWay: [],
    };
  }
  const held = ticketsHeldByReleases(
    tx,
    live.map((ticket) => ticket.id),
  );
  const free = live.filter((ticket) => !held.has(ticket.id));
  const isNext = nextPlanned(tx, release.distribution)?.id === release.id;
  const forecast = (ticket: Ticket) => forecastOf(ticket.state, ctx.rules.limits, release.cutoffAt, zone, at);
  return {
    release,
    candidates: isNext
      ? free
          .filter((t) => t.state.status === 'ready')
          .map((t) => withSubmission(tx, t, { kind: 'candidate' }))
      : [],
    onTheWay: free.filter((t) => t.state.status !== 'ready').map((t) => withSubmission(tx, t, forecast(t))),
  };
}

export function getRelease(ctx: ServiceContext, name: string): ReleaseView {
  const parsed = parseReleaseName(name, ctx.distributions);
  if (!parsed.ok) throw new InvalidInputError([{ field: 'name', message: parsed.message }]);
  const release = findRelease(ctx.db, parsed.name.distribution, parsed.name.version);
  if (!release)
    throw new NotFoundError(
      `There is no release ${releaseLabel(parsed.name)}; plan it with /cmd-release new.`,
    );
  return viewOf(ctx, ctx.db, release, ctx.clock.now());
}

export interface FrozenRelease {
  readonly release: Release;
  readonly joined: readonly number[];
  readonly slipped: readonly number[];
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
 * candidates (Ready at the cut-off) join it, and every other live ticket of its distribution slips to the next
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
    // Ready by the cut-off: a ticket that became Ready after it (the check ran late) slips like the others.
    const joined = view.candidates.filter((c) => c.ticket.state.enteredAt <= release.cutoffAt);
    const slipped = [
      ...view.candidates.filter((c) => c.ticket.state.enteredAt > release.cutoffAt),
      ...view.onTheWay.filter((c) => c.forecast.kind !== 'out'),
    ];
    addReleaseItems(
      tx,
      joined.map((c) => ({
        releaseId: release.id,
        ticketId: c.ticket.id,
        addedBy: 'freeze',
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
          text: md`*${label}* is frozen (cut-off reached): ${joined.length} ticket${joined.length === 1 ? '' : 's'} in it${joined.length > 0 ? md`:\n${joinMd(joined.slice(0, 30).map(line), '\n')}` : '.'}${
            slipped.length > 0
              ? md`\n${slipped.length} slipped to ${nextText}:\n${joinMd(slipped.slice(0, 30).map(line), '\n')}`
              : ''
          }`,
        },
      },
    ]);
    const bySubmission = new Map<number, TicketOnItsWay[]>();
    for (const c of slipped)
      bySubmission.set(c.submission.id, [...(bySubmission.get(c.submission.id) ?? []), c]);
    for (const group of bySubmission.values()) {
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
            md`${first.product.name} ${first.submission.version} (${formatSubmissionId(first.submission.id)}) is not in *${label}*: its contents froze before it was ready, so it moves to ${nextText}.\n${joinMd(
              group.map(
                (c) => md`• ${formatTicketId(c.ticket.id)} ${c.ticket.platform}: ${stillNeeds(c.ticket)}.`,
              ),
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
