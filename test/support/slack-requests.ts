/**
 * Builds requests shaped like Slack's and POSTs them, correctly signed, to a running Bolt app.
 *
 * Bolt form-parses a body only when its content-type is exactly `application/x-www-form-urlencoded` (with a
 * charset it answers 400), and fetch adds a charset to a URLSearchParams body: so every body here is a string
 * and the content-type is set by hand.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { FAKE_IDS } from './fake-slack.js';

const VERIFICATION_TOKEN = 'fake-verification-token';
/** Where a request's response_url points when a test gives none: a closed local port, never the real Slack. */
const NOWHERE = 'http://127.0.0.1:9/response/unset';

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:${timestampSec}:${body}`. */
export function sign(secret: string, body: string, timestampSec: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

/**
 * POSTs `body` to the app, signed with `secret` at `timestampSec` (default now). The content-type is
 * `application/json` when the body is a JSON object, else `application/x-www-form-urlencoded`. An `appUrl`
 * without a path gets Bolt's default endpoint, `/slack/events`.
 */
export async function postToSlackApp(
  appUrl: string,
  secret: string,
  body: string,
  options: { timestampSec?: number; signature?: string; contentType?: string } = {},
): Promise<{ status: number; text: string; json: unknown | null; ms: number }> {
  const url = new URL(appUrl);
  if (url.pathname === '/') url.pathname = '/slack/events';
  const timestampSec = options.timestampSec ?? Math.floor(Date.now() / 1000);
  const contentType =
    options.contentType ??
    (body.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded');
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestampSec),
      'x-slack-signature': options.signature ?? sign(secret, body, timestampSec),
    },
    body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let json: unknown | null = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, text, json, ms };
}

/** A trigger_id like Slack's; unique per call. */
export function fakeTriggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e11)}.${randomBytes(16).toString('hex')}`;
}

function channelName(channelId: string): string {
  if (channelId.startsWith('D')) return 'directmessage';
  if (channelId.startsWith('G')) return 'privategroup';
  return 'general';
}

/** A slash command as Slack sends it: form-encoded, fields in Slack's order. */
export function slashCommandBody(fields: {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  trigger_id?: string;
  channel_id?: string;
  response_url?: string;
  team_id?: string;
}): string {
  const channelId = fields.channel_id ?? 'C0FAKEGEN';
  return new URLSearchParams([
    ['token', VERIFICATION_TOKEN],
    ['team_id', fields.team_id ?? FAKE_IDS.teamId],
    ['team_domain', FAKE_IDS.teamDomain],
    ['channel_id', channelId],
    ['channel_name', channelName(channelId)],
    ['user_id', fields.user_id],
    ['user_name', fields.user_name ?? fields.user_id.toLowerCase()],
    ['command', fields.command],
    ['text', fields.text ?? ''],
    ['api_app_id', FAKE_IDS.appId],
    ['response_url', fields.response_url ?? NOWHERE],
    ['trigger_id', fields.trigger_id ?? fakeTriggerId()],
  ]).toString();
}

function payloadBody(payload: Record<string, unknown>): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function slackUser(userId: string, teamId: string) {
  return { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: teamId };
}

function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

/**
 * A click (or a select, when `selected_option` is given) as Slack sends it: `payload=<json>`. With `view` the
 * action comes from a modal or the Home tab (container type `view`), else from a message.
 */
export function blockActionBody(fields: {
  user_id: string;
  action_id: string;
  value?: string;
  block_id?: string;
  trigger_id?: string;
  channel_id?: string;
  message_ts?: string;
  response_url?: string;
  selected_option?: { value: string; text?: string };
  view?: Record<string, unknown>;
}): string {
  const teamId = FAKE_IDS.teamId;
  const action: Record<string, unknown> = {
    action_id: fields.action_id,
    block_id: fields.block_id ?? 'block',
    action_ts: actionTs(),
  };
  if (fields.selected_option) {
    action.type = 'static_select';
    action.selected_option = {
      text: {
        type: 'plain_text',
        text: fields.selected_option.text ?? fields.selected_option.value,
        emoji: true,
      },
      value: fields.selected_option.value,
    };
  } else {
    action.type = 'button';
    action.text = { type: 'plain_text', text: fields.action_id, emoji: true };
    if (fields.value !== undefined) action.value = fields.value;
  }
  const common = {
    type: 'block_actions',
    user: slackUser(fields.user_id, teamId),
    api_app_id: FAKE_IDS.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: fields.trigger_id ?? fakeTriggerId(),
    team: { id: teamId, domain: FAKE_IDS.teamDomain },
    is_enterprise_install: false,
    enterprise: null,
    actions: [action],
  };
  if (fields.view) {
    const viewId = typeof fields.view.id === 'string' ? fields.view.id : 'V0FAKEVIEW';
    return payloadBody({
      ...common,
      container: { type: 'view', view_id: viewId },
      view: { id: viewId, ...fields.view },
      ...(fields.response_url ? { response_url: fields.response_url } : {}),
    });
  }
  const channelId = fields.channel_id ?? 'C0FAKEGEN';
  const messageTs = fields.message_ts ?? '1700000000.000100';
  return payloadBody({
    ...common,
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    channel: { id: channelId, name: channelName(channelId) },
    message: { type: 'message', ts: messageTs, user: FAKE_IDS.botUserId, bot_id: FAKE_IDS.botId, blocks: [] },
    state: { values: {} },
    response_url: fields.response_url ?? NOWHERE,
  });
}

/** A modal submission as Slack sends it: `payload=<json>` with the inputs under view.state.values. */
export function viewSubmissionBody(fields: {
  user_id: string;
  callback_id: string;
  private_metadata?: string;
  values: Record<string, Record<string, unknown>>;
  view_id?: string;
}): string {
  const teamId = FAKE_IDS.teamId;
  return payloadBody({
    type: 'view_submission',
    team: { id: teamId, domain: FAKE_IDS.teamDomain },
    user: slackUser(fields.user_id, teamId),
    api_app_id: FAKE_IDS.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: fakeTriggerId(),
    view: {
      id: fields.view_id ?? 'V0FAKEVIEW',
      team_id: teamId,
      type: 'modal',
      callback_id: fields.callback_id,
      private_metadata: fields.private_metadata ?? '',
      state: { values: fields.values },
      blocks: [],
      hash: `${Date.now()}.fakehash`,
      app_id: FAKE_IDS.appId,
      bot_id: FAKE_IDS.botId,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

let eventSeq = 0;

/** An Events API envelope (JSON; postToSlackApp sends it as application/json). */
export function eventBody(event: Record<string, unknown>, options: { eventId?: string } = {}): string {
  eventSeq += 1;
  return JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: FAKE_IDS.teamId,
    api_app_id: FAKE_IDS.appId,
    type: 'event_callback',
    event,
    event_id: options.eventId ?? `Ev0FAKE${String(eventSeq).padStart(6, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { team_id: FAKE_IDS.teamId, user_id: FAKE_IDS.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  });
}
