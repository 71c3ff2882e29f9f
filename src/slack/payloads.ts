/**
 * The shape of every request, checked before Bolt or any listener reads it. A signed body can still be
 * malformed (a bug at Slack, a replayed request edited by someone holding the secret, a fuzzer): Bolt then threw
 * (500), or found no type and left it unanswered for 3 s, and listeners read fields that were not there (an
 * array `event.user` in the App Home query, a missing `user_id` in the refusals table).
 *
 * Each kind cmd-bot handles (a slash command, a block action, a view submission or closing, an event) is read
 * with a zod schema of the fields Bolt and the listeners use; other fields pass through untouched, so what
 * reaches a listener is exactly Slack's body. What does not fit is answered at once by `answerUnreadable` in
 * app.ts and logged once; nothing runs and nothing is written.
 */
import { z } from 'zod';

/** A Slack id (user, team, channel, enterprise): short, no spaces. Users are checked for their form where used. */
const slackId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** Objects Bolt reads an id from when they are there (it reads `team.id`, `enterprise.id`, `channel.id`). */
const team = z
  .looseObject({ id: slackId, enterprise_id: slackId.nullable().optional() })
  .nullable()
  .optional();
const enterprise = z.looseObject({ id: slackId }).nullable().optional();
/** Where Slack wants the answer to a click or command: an http(s) address, or the bot's reply would throw. */
const responseUrl = z
  .string()
  .max(2_000)
  .refine((url) => /^https?:\/\//.test(url) && URL.canParse(url))
  .optional();

const slashCommand = z.looseObject({
  command: z.string().regex(/^\/[\w.-]{1,31}$/),
  text: z.string(),
  user_id: slackId,
  team_id: slackId,
  channel_id: slackId,
  trigger_id: z.string().max(500),
  response_url: responseUrl,
  enterprise_id: slackId.optional(),
});

const blockAction = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: slackId }),
  team,
  enterprise,
  channel: z.looseObject({ id: slackId }).optional(),
  trigger_id: z.string().max(500),
  response_url: responseUrl,
  actions: z
    .array(
      z.looseObject({
        type: z.string(),
        action_id: z.string().max(255),
        block_id: z.string().max(255).optional(),
        value: z.string().max(2_000).optional(),
      }),
    )
    .min(1),
});

/** A modal's state: per block, per action, an object Slack fills with the element's value. */
const viewState = z.looseObject({
  values: z.record(z.string(), z.record(z.string(), z.looseObject({}))),
});

const viewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  user: z.looseObject({ id: slackId }),
  team,
  enterprise,
  // Bolt answers through the first of these when there are any.
  response_urls: z.array(z.looseObject({ response_url: responseUrl.unwrap() })).optional(),
  view: z.looseObject({
    app_installed_team_id: slackId.optional(),
    id: z.string().max(64).optional(),
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3_000),
    state: viewState,
  }),
});

const viewClosed = z.looseObject({
  type: z.literal('view_closed'),
  user: z.looseObject({ id: slackId }),
  team,
  enterprise,
  view: z.looseObject({ callback_id: z.string().max(255), app_installed_team_id: slackId.optional() }),
});

/**
 * What Bolt reads of any event to find its channel and user (a channel or user given as a string or an object,
 * an item's channel, a subteam's creator), and then the fields of the events cmd-bot listens to.
 */
const anyEvent = {
  type: z.string().max(100),
  user: z.union([slackId, z.looseObject({ id: slackId })]).optional(),
  channel: z.union([slackId, z.looseObject({ id: slackId.optional() })]).optional(),
  channel_id: slackId.optional(),
  item: z.looseObject({ channel: slackId.optional() }).optional(),
  subteam: z.looseObject({ created_by: slackId.optional() }).optional(),
};
const event = z.union([
  z.looseObject({
    ...anyEvent,
    type: z.literal('app_home_opened'),
    user: slackId,
    tab: z.string().optional(),
  }),
  z.looseObject({ ...anyEvent, type: z.literal('subteam_members_changed'), subteam_id: slackId }),
  z.looseObject({
    ...anyEvent,
    type: z.literal('message'),
    channel_type: z.string().max(20).optional(),
    subtype: z.string().max(50).optional(),
    bot_id: z.string().max(50).optional(),
    files: z
      .array(z.looseObject({ id: z.string().max(50) }))
      .max(20)
      .optional(),
  }),
  z.looseObject({
    ...anyEvent,
    type: anyEvent.type.refine(
      (type) => type !== 'app_home_opened' && type !== 'subteam_members_changed' && type !== 'message',
    ),
  }),
]);

const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  team_id: slackId.optional(),
  enterprise_id: slackId.optional(),
  authorizations: z
    .array(
      z.looseObject({
        team_id: slackId.nullable().optional(),
        enterprise_id: slackId.nullable().optional(),
        is_enterprise_install: z.boolean().optional(),
      }),
    )
    .optional(),
  event,
});

/** The kinds of request cmd-bot answers, as Bolt tells them apart. */
export type RequestKind = 'command' | 'action' | 'view' | 'view_closed' | 'event';

/** The kind a body claims to be, from the fields Bolt uses to tell them apart; null when it claims none. */
export function requestKindOf(body: Record<string, unknown>): RequestKind | null {
  if ('command' in body) return 'command';
  switch (body.type) {
    case 'block_actions':
      return 'action';
    case 'view_submission':
      return 'view';
    case 'view_closed':
      return 'view_closed';
    case 'event_callback':
      return 'event';
    default:
      return null;
  }
}

const SCHEMAS: { readonly [K in RequestKind]: z.ZodType } = {
  command: slashCommand,
  action: blockAction,
  view: viewSubmission,
  view_closed: viewClosed,
  event: eventCallback,
};

export type PayloadCheck =
  | { readonly ok: true; readonly kind: RequestKind }
  | { readonly ok: false; readonly kind: RequestKind | null; readonly problem: string };

/** Whether a verified body is one cmd-bot can read; the problem names the first field that is wrong. */
export function checkPayload(body: Record<string, unknown>): PayloadCheck {
  const kind = requestKindOf(body);
  if (kind === null) {
    return {
      ok: false,
      kind,
      problem: `a request of a kind cmd-bot does not handle (type ${describe(body.type)})`,
    };
  }
  const parsed = SCHEMAS[kind].safeParse(body);
  if (parsed.success) return { ok: true, kind };
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') || '(body)';
  return { ok: false, kind, problem: `${path}: ${issue?.message ?? 'not as Slack sends it'}` };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
}

/**
 * A modal's private_metadata, read with `schema`; null when it is not JSON or not of that shape (a form from an
 * older version of cmd-bot, or a forged one). It is the bot's own text, but it comes back through Slack.
 */
export function readMetadata<T>(text: string, schema: z.ZodType<T>): T | null {
  let value: unknown;
  try {
    value = JSON.parse(text || '{}');
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
