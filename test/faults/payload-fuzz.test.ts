/**
 * Signed requests of every shape Slack could never send: each kind cmd-bot handles (slash commands, button
 * clicks, modal submissions, events), with fields missing, of the wrong type, or swapped for random JSON. None
 * may get a 5xx or wait out Slack's 3 s, none may write a row unless it was readable (and then only what the
 * person may do: a stranger's refused move is recorded), and none may log an unexpected error.
 *
 * The bot runs in this process (real Bolt, database and worker, fake Slack), with its logs captured.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appConfigSchema } from '../../src/config/app.js';
import * as schema from '../../src/db/schema.js';
import { type RunningBot, startCmdBot } from '../../src/server.js';
import { type Caller, inject, registerProduct, submit } from '../../src/services/index.js';
import { checkPayload } from '../../src/slack/payloads.js';
import { postSigned } from '../support/app-process.js';
import { botEnv, CONTACT_ID, STAFF_ID, STRANGER_ID } from '../support/bot.js';
import { tempDir, testClock } from '../support/database.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import {
  blockActionBody,
  eventBody,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-requests.js';

const STAFF: Caller = { userId: STAFF_ID, staff: true };
const CONTACT: Caller = { userId: CONTACT_ID, staff: false };
/** Slack gives up on an answer after 3 s. */
const ACK_DEADLINE_MS = 3000;

interface LogLine {
  readonly level: string;
  readonly msg: string;
}

let slack: FakeSlack;
let bot: RunningBot;
let dir: string;
let url: string;
const logs: LogLine[] = [];

beforeAll(async () => {
  slack = await startFakeSlack();
  dir = tempDir('cmd-bot-fuzz-');
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line));
      done();
    },
  });
  bot = await startCmdBot(appConfigSchema.parse(botEnv(slack.url, join(dir, 'cmd-bot.sqlite'))), {
    clock: testClock('2027-03-01T09:00:00Z'),
    processBeforeResponse: true,
    outboxPollMs: 60_000,
    outboxPaceMs: 0,
    logDestination: sink,
  });
  url = `http://127.0.0.1:${bot.port}/slack/events`;
  registerProduct(bot.ctx, { name: 'ARC', contacts: [CONTACT_ID], platforms: ['el9/x86_64'] }, STAFF);
  // SUB-1 injected (TKT-1 Unverified); SUB-2 open.
  submit(
    bot.ctx,
    { product: 'ARC', version: '1.0', releaseNotes: 'https://x.org/1', packages: ['arc'] },
    CONTACT,
  );
  inject(bot.ctx, 1, { expectedVersion: 1 }, STAFF);
  submit(
    bot.ctx,
    { product: 'ARC', version: '2.0', releaseNotes: 'https://x.org/2', packages: ['arc'] },
    CONTACT,
  );
  await bot.worker.drain();
});

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

const TABLES = {
  products: schema.products,
  submissions: schema.submissions,
  tickets: schema.tickets,
  history: schema.history,
  refusals: schema.refusals,
  earlyAdopterReports: schema.earlyAdopterReports,
  outbox: schema.outbox,
  cards: schema.cards,
  reporterSites: schema.reporterSites,
};

function counts(): Record<string, number> {
  return Object.fromEntries(
    Object.entries(TABLES).map(([name, table]) => [
      name,
      bot.ctx.db.select({ n: sql<number>`count(*)` }).from(table).get()?.n ?? 0,
    ]),
  );
}

const decodePayload = (form: string) =>
  JSON.parse(decodeURIComponent(form.slice('payload='.length))) as Record<string, unknown>;
const encodePayload = (value: unknown) => `payload=${encodeURIComponent(JSON.stringify(value))}`;
/** A form field as Slack would send it: text; anything else as its JSON (as a fuzzer's value would arrive). */
const formValue = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
const encodeForm = (fields: Record<string, unknown>) =>
  new URLSearchParams(
    Object.entries(fields).map(([key, value]): [string, string] => [key, formValue(value)]),
  ).toString();

type Body = {
  readonly form?: Record<string, unknown>;
  readonly payload?: Record<string, unknown>;
  readonly json?: Record<string, unknown>;
};

/** Requests as Slack sends them, from a stranger (who may move nothing), for every listener cmd-bot has. */
function templates(): Body[] {
  const move = (action: string, value: string) =>
    decodePayload(
      blockActionBody({
        user_id: STRANGER_ID,
        action_id: action,
        value,
        response_url: slack.responseUrl('fuzz'),
      }),
    );
  const view = (callbackId: string, metadata: string, values: Record<string, Record<string, unknown>>) =>
    decodePayload(
      viewSubmissionBody({
        user_id: STRANGER_ID,
        callback_id: callbackId,
        private_metadata: metadata,
        values,
      }),
    );
  const command = (name: string, text: string) =>
    Object.fromEntries(new URLSearchParams(slashCommandBody({ command: name, text, user_id: STRANGER_ID })));
  const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
  return [
    { form: command('/cmd-submit', 'ARC 3.0 https://x.org/3 arc') },
    { form: command('/cmd-submit', '') },
    { form: command('/cmd-status', 'SUB-1') },
    { form: command('/cmd-list', 'mine') },
    { form: command('/cmd-product', 'ARC') },
    { form: command('/cmd-help', '') },
    { payload: move('move:start_verification', '{"s":"TKT-1","v":1}') },
    { payload: move('move:start_verification', '{"s":"SUB-1","v":1}') },
    { payload: move('move:inject', '{"s":"TKT-1","v":1}') },
    { payload: move('move:inject', '{"s":"SUB-2","v":1}') },
    { payload: move('ea_report:works', 'SUB-1') },
    { payload: move('product:edit', 'ARC') },
    { payload: view('move', '{"s":"SUB-2","v":1,"e":"reject"}', { reason: text('no') }) },
    { payload: view('move', '{"s":"TKT-1","v":1,"e":"inject"}', {}) },
    {
      payload: view('ea_report', '{"sub":1,"outcome":"works"}', {
        site: text('SITE'),
        platform: { value: { type: 'static_select', selected_option: { value: 'el9/x86_64' } } },
      }),
    },
    { payload: view('product_card', '{"original":"ARC"}', { name: text('ARC') }) },
    { payload: view('submit_release', '{}', { version: text('4.0') }) },
    {
      json: JSON.parse(
        eventBody({
          type: 'app_home_opened',
          user: STRANGER_ID,
          channel: 'D1',
          tab: 'home',
          event_ts: '1.1',
        }),
      ),
    },
    { json: JSON.parse(eventBody({ type: 'subteam_members_changed', subteam_id: 'S0STAFF' })) },
  ];
}

/** Every path to a value in `value`, for choosing what to break. */
function pathsOf(value: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [[...prefix]];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [[...prefix], ...entries.flatMap(([key, v]) => pathsOf(v, [...prefix, key]))];
}

type Mutation = { readonly pick: number; readonly replacement: unknown; readonly remove: boolean };

function mutate(value: unknown, mutation: Mutation): unknown {
  const paths = pathsOf(value).filter((path) => path.length > 0);
  const path = paths[mutation.pick % paths.length];
  if (!path) return value;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (mutation.remove && !Array.isArray(parent)) delete parent[last];
  else parent[last] = mutation.replacement;
  return copy;
}

const replacement = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(
    '',
    'SUB-1',
    'TKT-1',
    '{not json',
    '[]',
    '{}',
    'U1> <!channel',
    null,
    [],
    {},
    ['USTAFF1'],
    -1,
  ),
  fc.string({ maxLength: 40 }),
);
const mutation = fc.record({ pick: fc.nat(), replacement, remove: fc.boolean() });

async function send(body: Body) {
  if (body.json) return postSigned(url, JSON.stringify(body.json), { contentType: 'application/json' });
  if (body.payload) return postSigned(url, encodePayload(body.payload));
  return postSigned(url, encodeForm(body.form ?? {}));
}

/** The verified body as the app sees it, for the question "was it readable?". */
function parsedBody(body: Body): Record<string, unknown> {
  if (body.json) return body.json;
  if (body.payload) return body.payload;
  return Object.fromEntries(new URLSearchParams(encodeForm(body.form ?? {})));
}

describe('signed payloads of the wrong shape', () => {
  it('when thousands of mutated payloads of every kind arrive, then each is answered in time without a 5xx, and only readable ones change anything (a stranger: refusals only)', async () => {
    const bases = templates();
    let unreadable = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: bases.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (which, mutations) => {
          const base = bases[which] as Body;
          const key = base.json ? 'json' : base.payload ? 'payload' : 'form';
          const mutated = {
            [key]: mutations.reduce<unknown>((value, m) => mutate(value, m), base[key]),
          } as Body;
          if (typeof mutated[key] !== 'object' || mutated[key] === null || Array.isArray(mutated[key]))
            return;
          const before = counts();
          const logsBefore = logs.length;

          const response = await send(mutated);

          if (response.status >= 500) console.log('5xx for', JSON.stringify(mutated).slice(0, 3000));
          expect(response.status, response.text).toBeLessThan(500);
          expect(response.ms).toBeLessThan(ACK_DEADLINE_MS);
          const after = counts();
          const readable = response.status !== 200 ? false : checkPayload(parsedBody(mutated)).ok;
          if (!readable) {
            unreadable += 1;
            expect(after).toEqual(before);
          } else {
            expect({ ...after, refusals: 0 }).toEqual({ ...before, refusals: 0 });
          }
          const newLogs = logs.slice(logsBefore);
          expect(newLogs.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
          expect(
            newLogs.filter((line) => line.msg.startsWith('unreadable request')).length,
          ).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 2500, seed: 20261202 },
    );
    // The property held for many bodies of the wrong shape, not only for ones that happened to stay valid.
    expect(unreadable).toBeGreaterThan(500);
  }, 300_000);
});

describe('the shapes seen to break the bot', () => {
  const stranger = (fields: Record<string, unknown>) => encodePayload(fields);

  // FIXED (src/slack/listeners/views/*: readMetadata): private_metadata that is not JSON was parsed before the ack,
  // and the throw became a 500.
  it('when a form comes back with private_metadata that is not JSON, then it is answered that nothing was done', async () => {
    const before = counts();
    const response = await postSigned(
      url,
      viewSubmissionBody({
        user_id: STAFF_ID,
        callback_id: 'move',
        private_metadata: '{not json',
        values: {},
      }),
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ response_action: 'update' });
    expect(response.text).toContain('older version of cmd-bot');
    expect(counts()).toEqual(before);
  });

  // FIXED (src/slack/moves.ts, moveApplies; src/domain/machine.ts, checkEvent): a ticket's button carrying a SUB-
  // id (or a submission's carrying a TKT- id) threw a TypeError in precheckMove.
  it('when a ticket button carries a submission id, or the other way round, then the clicker is told it is outdated and nothing is recorded', async () => {
    const before = counts();
    const replies = slack.calls.length;
    for (const [action, value] of [
      ['move:start_verification', '{"s":"SUB-2","v":1}'],
      ['move:inject', '{"s":"TKT-1","v":1}'],
    ]) {
      const response = await postSigned(
        url,
        blockActionBody({
          user_id: STAFF_ID,
          action_id: action as string,
          value,
          response_url: slack.responseUrl('cross'),
        }),
      );
      expect(response.status).toBe(200);
    }
    const told = slack.calls.slice(replies).filter((call) => call.method === 'response_url:cross');
    expect(told.map((call) => call.args.text)).toEqual([
      expect.stringContaining('older version of cmd-bot'),
      expect.stringContaining('older version of cmd-bot'),
    ]);
    expect(logs.filter((line) => line.msg === 'unexpected error in a Slack handler')).toEqual([]);
    expect(counts()).toEqual(before);
  });

  // FIXED (src/slack/payloads.ts): an array `event.user` reached the App Home query.
  it('when an app_home_opened event names an array as its user, then it is acknowledged, nothing is published, and no error is logged', async () => {
    const calls = slack.calls.length;
    const logsBefore = logs.length;
    const response = await postSigned(
      url,
      eventBody({ type: 'app_home_opened', user: [STAFF_ID, STRANGER_ID], channel: 'D1', tab: 'home' }),
    );
    expect(response.status).toBe(200);
    expect(slack.calls.slice(calls).map((call) => call.method)).toEqual([]);
    expect(logs.slice(logsBefore).filter((line) => line.level === 'error')).toEqual([]);
    expect(logs.slice(logsBefore).map((line) => line.msg)).toContain(
      'unreadable request from Slack; answered, nothing done',
    );
  });

  // FIXED (src/slack/payloads.ts): a click without a user id broke the refusals table's NOT NULL.
  it('when a click or command has no user id, then it is answered that it could not be read, and nothing is stored', async () => {
    const before = counts();
    const click = decodePayload(
      blockActionBody({ user_id: STRANGER_ID, action_id: 'move:inject', value: '{"s":"SUB-2","v":1}' }),
    );
    delete (click.user as Record<string, unknown>).id;
    const command = Object.fromEntries(
      new URLSearchParams(
        slashCommandBody({
          command: '/cmd-submit',
          text: 'ARC 5.0 https://x.org/5 arc',
          user_id: STRANGER_ID,
        }),
      ),
    );
    delete command.user_id;

    const clicked = await postSigned(url, stranger(click));
    const commanded = await postSigned(url, encodeForm(command));

    expect([clicked.status, commanded.status]).toEqual([200, 200]);
    expect(commanded.text).toContain('could not read this request');
    expect(counts()).toEqual(before);
  });
});
