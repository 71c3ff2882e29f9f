/** Use cases of a submission: submit, inject, and the submission-level reject / wait / resume. */

import type { DB } from '../db/index.js';
import { appendHistory, recordRefusal } from '../db/repositories/audit.js';
import { enqueue } from '../db/repositories/outbox.js';
import { findProductById, findProductByName, listProducts } from '../db/repositories/products.js';
import {
  findLiveDuplicate,
  findSubmission,
  insertSubmission,
  type Submission,
  saveSubmissionState,
} from '../db/repositories/submissions.js';
import {
  insertTicket,
  listLiveTicketsOfProduct,
  listTicketsOfSubmission,
  type Ticket,
} from '../db/repositories/tickets.js';
import { formatSubmissionId, formatTicketId, isSlackUserId } from '../domain/ids.js';
import type { ProductCard } from '../domain/product.js';
import { type RawSubmission, validateSubmission } from '../domain/submission-input.js';
import type { SubmissionEvent } from '../domain/submission-machine.js';
import { SUBMISSION_TABLE, SUBMITTER_ROLES } from '../domain/submission-machine.js';
import { readUmd5Descriptor } from '../domain/umd5-descriptor.js';
import { md, mention } from '../mrkdwn.js';
import { actorFor } from './actors.js';
import { type Caller, Refused, type ServiceContext, transact } from './context.js';
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js';
import { cardUpdate, clause, outboxRowsFor, releaseTitle, submissionChangeKey } from './notices/index.js';

export function loadSubmission(tx: DB, id: number): { submission: Submission; product: ProductCard } {
  const submission = findSubmission(tx, id);
  if (!submission) throw new NotFoundError(`There is no submission ${formatSubmissionId(id)}.`);
  const product = findProductById(tx, submission.productId);
  if (!product) throw new Error(`submission ${id} refers to a missing product`);
  return { submission, product };
}

/**
 * A release to submit. The submit form picks its product by the card's id, as text (an option's value holds 75
 * characters and a name may have 80); everything else names it.
 */
export interface SubmitInput extends RawSubmission {
  readonly productId?: string;
}

export interface SubmitResult {
  readonly submission: Submission;
  readonly product: ProductCard;
}

/**
 * A provider's release, checked and committed in one step: an acknowledged submission always exists. The raw
 * platforms default to the product card's.
 */
export function submit(
  ctx: ServiceContext,
  given: SubmitInput,
  caller: Caller,
  origin: {
    readonly descriptor: Readonly<Record<string, unknown>>;
    readonly warnings: readonly string[];
  } | null = null,
): SubmitResult {
  return transact(ctx, (tx, now) => {
    const { productId, ...typed } = given;
    // The form picks a card by id (null: the id names no card); everything else names the product.
    const picked = productId ? productById(tx, productId) : undefined;
    const known = picked === undefined ? findProductByName(tx, typed.product ?? '') : picked;
    const raw: RawSubmission = picked === undefined ? typed : { ...typed, product: picked?.name ?? '' };
    // Platforms default to the card's. For an unknown product there is no card: the product problem is the
    // one to report, so the platform check is not given a reason to complain as well.
    const defaultPlatforms = known ? known.platforms : ctx.platforms;
    const withDefaults: RawSubmission =
      raw.platforms === undefined && defaultPlatforms.length > 0
        ? { ...raw, platforms: defaultPlatforms }
        : raw;
    const validated = validateSubmission(withDefaults, {
      // The full list is read only when needed: to tell a provider which products exist.
      products: known ? [known.name] : listProducts(tx).map((card) => card.name),
      platforms: ctx.platforms,
      platformAliases: ctx.platformNames.aliases,
      distributions: ctx.distributions,
    });
    if (!validated.ok) {
      // An id that names no card: the form was opened before its card went, or by an older cmd-bot.
      const problems =
        picked === null
          ? validated.problems.map((p) =>
              p.field === 'product' ? { ...p, message: STALE_PRODUCT_CHOICE } : p,
            )
          : validated.problems;
      throw new InvalidInputError(problems);
    }
    const input = validated.value;
    const product = known as ProductCard; // validation passed, so the product is known

    const actor = actorFor(caller, product);
    if (!SUBMITTER_ROLES.some((role) => actor.roles.includes(role))) {
      const contacts = product.contacts.join(', ');
      const message =
        `Only ${product.name}'s contacts${contacts ? ` (${contacts})` : ''} or the UMD team can submit its releases. ` +
        'Ask one of them, or ask the UMD team to add you to the Product ID card.';
      recordRefusal(tx, {
        subjectType: 'submission',
        subjectId: null,
        event: 'submit',
        actor: caller.userId,
        kind: 'wrong_role',
        reason: message,
        at: now,
      });
      return new Refused({
        kind: 'wrong_role',
        message,
        currentStatus: 'none',
        allowedMoves: [],
        people: product.contacts,
      });
    }

    const duplicate = findLiveDuplicate(tx, product.id, input.distribution, input.version);
    if (duplicate) {
      throw new ConflictError(
        `${product.name} ${input.version} for ${input.distribution} is already submitted as ` +
          `${formatSubmissionId(duplicate.id)} (${SUBMISSION_TABLE[duplicate.state.status].label}). ` +
          'Submit a new version, or ask the UMD team to reject the earlier one first.',
      );
    }

    const submission = insertSubmission(tx, {
      productId: product.id,
      version: input.version,
      releaseNotes: input.releaseNotes,
      distribution: input.distribution,
      security: input.security,
      submittedBy: caller.userId,
      submittedAt: now,
      comment: input.comment,
      platforms: input.platforms,
      packagesByPlatform: input.packagesByPlatform,
      descriptor: origin?.descriptor ?? null,
      descriptorWarnings: origin?.warnings ?? [],
      state: ctx.submissions.initialState(now),
    });
    appendHistory(tx, {
      subjectType: 'submission',
      subjectId: submission.id,
      event: 'submit',
      fromStatus: null,
      toStatus: submission.state.status,
      actor: caller.userId,
      reason: input.comment,
      at: now,
    });
    const changeKey = submissionChangeKey(submission, 1);
    const title = releaseTitle(product, submission);
    const older = supersedable(tx, product, submission);
    const rows = [
      cardUpdate(
        changeKey,
        submission,
        md`${mention(caller.userId)} submitted ${title} as ${formatSubmissionId(submission.id)}.`,
      ),
      ...outboxRowsFor({
        changeKey,
        product,
        submission,
        notices: older.length > 0 ? [{ audience: 'umd_channel', topic: 'possible_supersede' }] : [],
        textOf: () =>
          md`${formatSubmissionId(submission.id)} ${title} may supersede ${older.map((t) => formatTicketId(t.id)).join(', ')}. Confirm with Supersede on those tickets.`,
      }),
    ];
    enqueue(tx, rows, now);
    return { submission, product };
  });
}

/** A UMD5 descriptor to submit, from a file (CLI) or an upload (Slack). */
export interface DescriptorInput {
  readonly json: string;
  /** The file's name: the version it names is compared with the one it holds. */
  readonly fileName?: string;
  /** A distribution chosen besides the file: it must agree with the file's. */
  readonly distribution?: string;
  readonly security?: boolean;
  readonly comment?: string;
  /** The card chosen beside the file (the submit form's product, by id): it must be the descriptor's product. */
  readonly productId?: string;
}

export interface DescriptorSubmitResult extends SubmitResult {
  /** What the descriptor's reader warned about; stored with the submission too. */
  readonly warnings: readonly string[];
}

/**
 * A release from its UMD5 descriptor: read faithfully (src/domain/umd5-descriptor.ts), then submitted as if
 * typed, with the descriptor and its warnings kept. A descriptor that cannot be read is refused whole, each
 * problem naming its field (as `descriptor` problems).
 */
export function submitDescriptor(
  ctx: ServiceContext,
  input: DescriptorInput,
  caller: Caller,
): DescriptorSubmitResult {
  const read = readUmd5Descriptor(input.json, {
    platforms: ctx.platformNames,
    distributions: ctx.distributions,
    products: listProducts(ctx.db).map((card) => card.name),
    ...(input.distribution ? { distribution: input.distribution } : {}),
    ...(input.fileName ? { fileName: input.fileName } : {}),
  });
  if (!read.ok) {
    throw new InvalidInputError(read.problems.map((message) => ({ field: 'descriptor', message })));
  }
  const { packages, ...typed } = read.submission;
  const chosen = input.productId ? productById(ctx.db, input.productId) : undefined;
  if (chosen && chosen.name.toLowerCase() !== typed.product.toLowerCase()) {
    throw new InvalidInputError([
      {
        field: 'product',
        message: `The descriptor is for ${typed.product}, not ${chosen.name}: choose ${typed.product}, or upload ${chosen.name}'s descriptor.`,
      },
    ]);
  }
  try {
    const result = submit(
      ctx,
      {
        ...typed,
        packages,
        security: input.security ?? false,
        ...(input.comment !== undefined ? { comment: input.comment } : {}),
      },
      caller,
      { descriptor: read.descriptor, warnings: read.warnings },
    );
    return { ...result, warnings: read.warnings };
  } catch (error) {
    throw error instanceof InvalidInputError ? asDescriptorProblems(error) : error;
  }
}

/** Where in the descriptor each value the submission refused came from. */
const DESCRIPTOR_FIELDS: Readonly<Record<string, string>> = {
  version: '"version"',
  releaseNotes: '"releaseNotes"',
  platforms: '"target" (platform, arch)',
  packages: '"target" rpms',
  distribution: '"distributionType"/"distributionVersion"',
};

/**
 * A value read from the descriptor that the submission refuses is the file's to fix, not a field of the form
 * (which the person was told to leave empty): the problem names the descriptor's field instead.
 */
function asDescriptorProblems(error: InvalidInputError): InvalidInputError {
  return new InvalidInputError(
    error.problems.map((problem) => {
      const from = DESCRIPTOR_FIELDS[problem.field];
      return from ? { field: 'descriptor', message: `${from}: ${problem.message}` } : problem;
    }),
  );
}

const STALE_PRODUCT_CHOICE =
  'The product chosen in this form is not on record any more. Close the form and run /cmd-submit again.';

/** The card whose id is `id` (as text), or null when there is none. */
function productById(tx: DB, id: string): ProductCard | null {
  return /^[1-9]\d{0,14}$/.test(id) ? findProductById(tx, Number(id)) : null;
}

/** Tickets of older submissions of the same product and distribution that are still in the process. */
function supersedable(tx: DB, product: ProductCard, submission: Submission): Ticket[] {
  return listLiveTicketsOfProduct(tx, product.id, submission.distribution, submission.id);
}

export interface InjectOptions {
  readonly expectedVersion: number;
  /** Defaults to every platform of the submission. */
  readonly platforms?: readonly string[];
  readonly assignee?: string | null;
}

export interface InjectResult {
  readonly submission: Submission;
  readonly product: ProductCard;
  readonly tickets: readonly Ticket[];
}

/** One ticket per platform, the submission solved, and the provider told the ticket ids. */
export function inject(
  ctx: ServiceContext,
  submissionId: number,
  options: InjectOptions,
  caller: Caller,
): InjectResult {
  return transact(ctx, (tx, now) => {
    const { submission, product } = loadSubmission(tx, submissionId);
    const actor = actorFor(caller, product);
    const result = ctx.submissions.transition(
      submission.state,
      { type: 'inject', expectedVersion: options.expectedVersion },
      actor,
      now,
    );
    if (result.outcome === 'refused') {
      recordRefusal(tx, {
        subjectType: 'submission',
        subjectId: submission.id,
        event: 'inject',
        actor: caller.userId,
        kind: result.refusal.kind,
        reason: result.refusal.message,
        at: now,
      });
      return new Refused(result.refusal);
    }
    if (result.outcome === 'noop')
      return { submission, product, tickets: listTicketsOfSubmission(tx, submission.id) };

    if (options.assignee && !isSlackUserId(options.assignee)) {
      // A users_select only ever gives a user id; anything else is a forged form, never stored or shown.
      throw new InvalidInputError([
        { field: 'assignee', message: 'The assignee must be a Slack user: pick one from the list.' },
      ]);
    }
    const platforms =
      options.platforms && options.platforms.length > 0
        ? [...new Set(options.platforms)]
        : submission.platforms;
    const unknown = platforms.filter((platform) => !submission.platforms.includes(platform));
    if (unknown.length > 0) {
      throw new InvalidInputError([
        {
          field: 'platforms',
          message: `${formatSubmissionId(submission.id)} has no packages for ${unknown.join(', ')}; choose from ${submission.platforms.join(', ')}.`,
        },
      ]);
    }
    if (!saveSubmissionState(tx, submission.id, submission.state.version, result.state)) {
      throw new ConflictError(
        `${formatSubmissionId(submission.id)} changed while it was being injected; try again.`,
      );
    }
    appendHistory(tx, {
      subjectType: 'submission',
      subjectId: submission.id,
      event: 'inject',
      fromStatus: result.from,
      toStatus: result.state.status,
      actor: caller.userId,
      reason: null,
      at: now,
    });

    const tickets = platforms.map((platform) => {
      const ticket = insertTicket(tx, {
        submissionId: submission.id,
        platform,
        assignee: options.assignee ?? null,
        packages: submission.packagesByPlatform[platform] ?? [],
        createdAt: now,
        state: ctx.tickets.initialState(now),
      });
      appendHistory(tx, {
        subjectType: 'ticket',
        subjectId: ticket.id,
        event: 'create',
        fromStatus: null,
        toStatus: ticket.state.status,
        actor: caller.userId,
        reason: `injected from ${formatSubmissionId(submission.id)}`,
        at: now,
      });
      return ticket;
    });
    ctx.onStep?.('inject:tickets-created');

    const solved = { ...submission, state: result.state };
    const ids = tickets.map((ticket) => `${formatTicketId(ticket.id)} (${ticket.platform})`).join(', ');
    const changeKey = submissionChangeKey(submission, result.state.version);
    enqueue(
      tx,
      [
        cardUpdate(
          changeKey,
          solved,
          md`${mention(caller.userId)} injected ${formatSubmissionId(submission.id)}: ${ids}.`,
        ),
        ...outboxRowsFor({
          changeKey,
          product,
          submission: solved,
          ticketIds: tickets.map((ticket) => ticket.id),
          notices: result.notices,
          textOf: () =>
            md`${releaseTitle(product, submission)} (${formatSubmissionId(submission.id)}) is injected and solved. Tracking tickets: ${ids}.`,
        }),
      ],
      now,
    );
    return { submission: solved, product, tickets };
  });
}

/** Reject, wait for the provider, or resume a submission that is not injected yet. */
export function moveSubmission(
  ctx: ServiceContext,
  submissionId: number,
  event: SubmissionEvent,
  caller: Caller,
): Submission {
  if (event.type === 'inject') throw new Error('use inject() to inject a submission');
  return transact(ctx, (tx, now) => {
    const { submission, product } = loadSubmission(tx, submissionId);
    const result = ctx.submissions.transition(submission.state, event, actorFor(caller, product), now);
    if (result.outcome === 'refused') {
      recordRefusal(tx, {
        subjectType: 'submission',
        subjectId: submission.id,
        event: event.type,
        actor: caller.userId,
        kind: result.refusal.kind,
        reason: result.refusal.message,
        at: now,
      });
      return new Refused(result.refusal);
    }
    if (result.outcome === 'noop') return submission;
    // A new clock (back from waiting) may be overdue again later: clear the old overdue flag.
    const clockMoved = result.state.deadline?.getTime() !== submission.state.deadline?.getTime();
    if (
      !saveSubmissionState(
        tx,
        submission.id,
        submission.state.version,
        result.state,
        clockMoved ? { injectionOverdueAt: null } : {},
      )
    ) {
      throw new ConflictError(`${formatSubmissionId(submission.id)} changed at the same time; try again.`);
    }
    const reason =
      event.type === 'reject'
        ? event.reason.trim()
        : event.type === 'wait_for_provider'
          ? event.needed.trim()
          : null;
    appendHistory(tx, {
      subjectType: 'submission',
      subjectId: submission.id,
      event: event.type,
      fromStatus: result.from,
      toStatus: result.state.status,
      actor: caller.userId,
      reason,
      at: now,
    });
    const moved = { ...submission, state: result.state };
    const changeKey = submissionChangeKey(submission, result.state.version);
    const title = md`${releaseTitle(product, submission)} (${formatSubmissionId(submission.id)})`;
    const line = md`${mention(caller.userId)} moved ${formatSubmissionId(submission.id)} to ${SUBMISSION_TABLE[result.state.status].label}${reason ? `: ${reason}` : ''}.`;
    enqueue(
      tx,
      [
        cardUpdate(changeKey, moved, line),
        ...outboxRowsFor({
          changeKey,
          product,
          submission: moved,
          notices: result.notices,
          textOf: (topic) =>
            topic === 'submission_rejected'
              ? md`${title} was rejected by the UMD team: ${reason ?? ''}`
              : md`${title} is waiting for you. The UMD team needs: ${clause(reason)}. Its injection clock is paused until then.`,
        }),
      ],
      now,
    );
    return moved;
  });
}
