/**
 * A local fake of Slack's Web API for end-to-end tests: point Bolt's `clientOptions.slackApiUrl` (or
 * SLACK_API_URL) at `fake.url`, drive the app with signed requests (./slack-requests.ts), then read what the
 * app sent from `fake.calls`. It also stands in for `response_url` (see `responseUrl`).
 *
 * Listens on 127.0.0.1 with an ephemeral port; no dependency beyond node:http.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The ids the fake answers with: give `botId` and `botUserId` to Bolt so it never calls auth.test at start. */
export const FAKE_IDS = {
  teamId: 'T0FAKETEAM',
  teamDomain: 'fake-egi',
  appId: 'A0FAKEAPP',
  botId: 'B0FAKEBOT',
  botUserId: 'U0FAKEBOT',
} as const;

export interface SlackCall {
  /** The Web API method (`chat.postMessage`), or `response_url:ID` for a post to `fake.responseUrl(ID)`. */
  method: string;
  /** Parsed from the query string and the form, multipart or JSON body; JSON-string fields parsed back. */
  args: Record<string, unknown>;
  /** Date.now() when the request arrived (before any delay set with setDelay). */
  at: number;
}

export type FakeResponse = { status?: number; headers?: Record<string, string>; body?: unknown };

/**
 * Overrides the answer to one method. `callIndex` counts the earlier calls to the same method since the last
 * reset (0 for the first), so "fail once, then succeed" is `(_, i) => (i === 0 ? {...} : undefined)`.
 * Returning undefined gives the default answer.
 */
export type Responder = (args: Record<string, unknown>, callIndex: number) => FakeResponse | undefined;

export interface FakeSlack {
  /** e.g. 'http://127.0.0.1:PORT/api/' — pass as Bolt `clientOptions.slackApiUrl` / SLACK_API_URL. */
  url: string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /**
   * Resolves with the calls as soon as `predicate` is true (checked at once and on every call); rejects after
   * `timeoutMs` (default 5000) with a message that lists the calls seen. A predicate that throws counts as false.
   */
  waitFor(predicate: (calls: SlackCall[]) => boolean, timeoutMs?: number): Promise<SlackCall[]>;
  /** Overrides a method's answer (`response_url:ID`, or `response_url` for every id, for the sink). */
  respondWith(method: string, responder: Responder): void;
  /** Every answer waits this long (to test that acks never wait on Slack). */
  setDelay(ms: number): void;
  /** A URL on this server whose POSTs are recorded as calls with method `response_url:ID`. */
  responseUrl(id: string): string;
  /**
   * A file someone uploaded to Slack: files.info describes it, and its `url_private_download` on this server
   * serves `content` to a request that carries the bot's token (recorded as a call `download:ID`); without it,
   * a login page, as Slack does. Returns the file's id.
   */
  hostFile(file: { name: string; content: string | Buffer; filetype?: string }): string;
  /** Forgets the calls, the overrides and the delay (message ts keep increasing, so they stay unique). */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeSlackOptions {
  /**
   * Members of each user group, by subteam id, for usergroups.users.list. The object is read on every call,
   * so a test can change it after start.
   */
  usergroupMembers?: Record<string, string[]>;
}

/** The fields the Web API client JSON-stringifies in a form body, parsed back so tests can read them. */
const JSON_FIELDS = ['blocks', 'view', 'metadata', 'attachments', 'files'] as const;

/** The DM channel the fake gives a user: the same id from chat.postMessage and conversations.open. */
export function dmChannelId(userId: string): string {
  return `D${userId.replace(/^[UW]/, '')}`;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const usergroupMembers = options.usergroupMembers ?? {};
  const calls: SlackCall[] = [];
  const responders = new Map<string, Responder>();
  const waiters = new Set<{ check(): void; fail(error: Error): void }>();
  const timers = new Set<NodeJS.Timeout>();
  let delayMs = 0;
  let tsSeq = 0;
  let viewSeq = 0;
  let fileSeq = 0;
  let origin = '';
  const hostedFiles = new Map<string, { name: string; content: Buffer; filetype: string }>();

  const nextTs = (): string => {
    tsSeq += 100;
    const seconds = 1_700_000_000 + Math.floor(tsSeq / 1_000_000);
    return `${seconds}.${String(tsSeq % 1_000_000).padStart(6, '0')}`;
  };

  const defaultAnswer = (method: string, args: Record<string, unknown>): unknown => {
    const str = (key: string): string | undefined => (typeof args[key] === 'string' ? args[key] : undefined);
    if (method.startsWith('response_url:')) return { ok: true };
    switch (method) {
      case 'chat.postMessage': {
        const requested = str('channel') ?? '';
        const channel = /^[UW]/.test(requested) ? dmChannelId(requested) : requested;
        const ts = nextTs();
        const message: Record<string, unknown> = {
          type: 'message',
          user: FAKE_IDS.botUserId,
          bot_id: FAKE_IDS.botId,
          app_id: FAKE_IDS.appId,
          team: FAKE_IDS.teamId,
          text: str('text') ?? '',
          ts,
        };
        if (args.blocks !== undefined) message.blocks = args.blocks;
        if (args.metadata !== undefined) message.metadata = args.metadata;
        if (str('thread_ts') !== undefined) message.thread_ts = str('thread_ts');
        return { ok: true, channel, ts, message };
      }
      case 'chat.update':
        return {
          ok: true,
          channel: str('channel'),
          ts: str('ts'),
          text: str('text') ?? '',
          message: { text: str('text') ?? '', blocks: args.blocks, user: FAKE_IDS.botUserId },
        };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'views.open':
      case 'views.update':
      case 'views.push':
      case 'views.publish': {
        viewSeq += 1;
        const view = typeof args.view === 'object' && args.view !== null ? args.view : {};
        const id = str('view_id') ?? `V${String(viewSeq).padStart(8, '0')}`;
        return { ok: true, view: { id, team_id: FAKE_IDS.teamId, app_id: FAKE_IDS.appId, ...view } };
      }
      case 'conversations.open': {
        if (str('channel') !== undefined) return { ok: true, channel: { id: str('channel') } };
        const users = (str('users') ?? '').split(',').filter(Boolean);
        if (users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
        const id = users.length === 1 ? dmChannelId(users[0] as string) : `G${users.join('').slice(0, 10)}`;
        return { ok: true, channel: { id } };
      }
      case 'conversations.history': {
        // Top-level messages only, as Slack does; metadata only when asked for.
        const oldest = Number(str('oldest') ?? '0');
        const messages = (posted.get(str('channel') ?? '') ?? [])
          .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
          .filter((m) => Number(m.ts) >= oldest)
          .map((m) => (str('include_all_metadata') === 'true' ? m : { ...m, metadata: undefined }));
        return { ok: true, messages, has_more: false };
      }
      case 'conversations.replies': {
        const ts = str('ts') ?? '';
        const messages = (posted.get(str('channel') ?? '') ?? [])
          .filter((m) => m.ts === ts || m.thread_ts === ts)
          .map((m) => (str('include_all_metadata') === 'true' ? m : { ...m, metadata: undefined }))
          .reverse();
        return { ok: true, messages, has_more: false };
      }
      case 'users.info': {
        const id = str('user') ?? '';
        const name = id.toLowerCase();
        return {
          ok: true,
          user: {
            id,
            team_id: FAKE_IDS.teamId,
            name,
            real_name: `User ${id}`,
            deleted: false,
            is_bot: false,
            tz: 'Europe/Amsterdam',
            tz_label: 'Central European Time',
            tz_offset: 3600,
            profile: { display_name: name, real_name: `User ${id}` },
          },
        };
      }
      case 'usergroups.users.list': {
        const group = str('usergroup') ?? '';
        const members = Object.hasOwn(usergroupMembers, group) ? usergroupMembers[group] : undefined;
        return members ? { ok: true, users: [...members] } : { ok: false, error: 'no_such_subteam' };
      }
      case 'auth.test':
        return {
          ok: true,
          url: `https://${FAKE_IDS.teamDomain}.slack.com/`,
          team: 'Fake EGI',
          user: 'cmd-bot',
          team_id: FAKE_IDS.teamId,
          user_id: FAKE_IDS.botUserId,
          bot_id: FAKE_IDS.botId,
          is_enterprise_install: false,
        };
      // files.uploadV2 (in @slack/web-api) asks for an upload URL, POSTs the bytes there, then completes.
      case 'files.getUploadURLExternal': {
        fileSeq += 1;
        const fileId = `F${String(fileSeq).padStart(8, '0')}`;
        return { ok: true, upload_url: `${origin}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(args.files) ? (args.files as { id?: string; title?: string }[]) : [];
        return { ok: true, files: files.map((file) => ({ id: file.id, title: file.title ?? '' })) };
      }
      case 'files.info': {
        const id = str('file') ?? '';
        const file = hostedFiles.get(id);
        if (!file) return { ok: false, error: 'file_not_found' };
        return {
          ok: true,
          file: {
            id,
            name: file.name,
            filetype: file.filetype,
            size: file.content.length,
            url_private: `${origin}/files-pri/${FAKE_IDS.teamId}-${id}/${encodeURIComponent(file.name)}`,
            url_private_download: `${origin}/files-pri/${FAKE_IDS.teamId}-${id}/download/${encodeURIComponent(file.name)}`,
          },
        };
      }
      case 'chat.getPermalink': {
        const channel = str('channel') ?? '';
        const ts = (str('message_ts') ?? '').replace('.', '');
        return {
          ok: true,
          channel,
          permalink: `https://${FAKE_IDS.teamDomain}.slack.com/archives/${channel}/p${ts}`,
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const answer = (method: string, args: Record<string, unknown>, callIndex: number) => {
    const responder =
      responders.get(method) ??
      (method.startsWith('response_url:') ? responders.get('response_url') : undefined);
    const custom = responder?.(args, callIndex);
    const status = custom?.status ?? 200;
    let body = custom?.body;
    if (body === undefined) {
      if (status === 200) body = defaultAnswer(method, args);
      else body = { ok: false, error: status === 429 ? 'ratelimited' : `http_${status}` };
    }
    return {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...custom?.headers },
      text: typeof body === 'string' ? body : JSON.stringify(body),
    };
  };

  /** Messages Slack accepted, per channel, newest first: conversations.history answers from these. */
  const posted = new Map<string, Record<string, unknown>[]>();
  const rememberPosted = (method: string, status: number, text: string) => {
    if (method !== 'chat.postMessage' || status !== 200) return;
    try {
      const body = JSON.parse(text) as { ok?: boolean; channel?: string; message?: Record<string, unknown> };
      if (!body.ok || !body.channel || !body.message) return;
      posted.set(body.channel, [body.message, ...(posted.get(body.channel) ?? [])]);
    } catch {
      // an override answered with something that is not JSON: nothing to remember
    }
  };

  const record = (call: SlackCall): number => {
    const callIndex = calls.filter((c) => c.method === call.method).length;
    calls.push(call);
    for (const waiter of waiters) waiter.check();
    return callIndex;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const apiMatch = /^\/api\/([^/]+)$/.exec(url.pathname);
    const sinkMatch = /^\/response\/([^/]+)$/.exec(url.pathname);
    const uploadMatch = /^\/upload\/([^/]+)$/.exec(url.pathname);
    const downloadMatch = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\//.exec(url.pathname);
    if (downloadMatch) {
      const id = downloadMatch[1] as string;
      const file = hostedFiles.get(id);
      const authorized = req.headers.authorization === 'Bearer xoxb-test-token';
      record({ method: `download:${id}`, args: { authorized }, at: Date.now() });
      if (!file || !authorized) {
        // What Slack answers a download without the right token: its sign-in page, not the file.
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<html>Sign in to Slack</html>');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file.content);
      return;
    }
    if (uploadMatch) {
      // The file's bytes, sent to the URL files.getUploadURLExternal gave: recorded as `upload:FILE_ID`.
      // @slack/web-api sends them as the one file of a multipart form; recorded as they arrived otherwise.
      const raw = await readBody(req);
      const type = req.headers['content-type'] ?? '';
      let bytes = raw;
      if (type.startsWith('multipart/form-data')) {
        const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
        const file = [...form.values()].find((value): value is File => typeof value !== 'string');
        if (file) bytes = Buffer.from(await file.arrayBuffer());
      }
      record({ method: `upload:${uploadMatch[1]}`, args: { bytes }, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
      return;
    }
    if (!apiMatch && !sinkMatch) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const method = apiMatch
      ? decodeURIComponent(apiMatch[1] as string)
      : `response_url:${decodeURIComponent((sinkMatch as RegExpExecArray)[1] as string)}`;
    const raw = await readBody(req);
    const args = await parseArgs(raw, req.headers['content-type'], url.searchParams);
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (bearer) args.token = bearer[1];
    const callIndex = record({ method, args, at: Date.now() });
    if (delayMs > 0) await sleep(delayMs, timers);
    const { status, headers, text } = answer(method, args, callIndex);
    rememberPosted(method, status, text);
    res.writeHead(status, headers).end(text);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, error: 'fake_slack_error', detail: String(error) }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/api/`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise<SlackCall[]>((resolve, reject) => {
        let lastError: unknown;
        const waiter = {
          check() {
            let done = false;
            try {
              done = predicate(calls);
            } catch (error) {
              lastError = error;
            }
            if (done) {
              settle();
              resolve([...calls]);
            }
          },
          fail(error: Error) {
            settle();
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          const because = lastError === undefined ? '' : ` (the predicate last threw: ${String(lastError)})`;
          waiter.fail(
            new Error(
              `fake Slack: condition not met within ${timeoutMs} ms${because}; ${describeCalls(calls)}`,
            ),
          );
        }, timeoutMs);
        const settle = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        waiters.add(waiter);
        waiter.check();
      });
    },
    respondWith(method, responder) {
      responders.set(method, responder);
    },
    setDelay(ms) {
      delayMs = ms;
    },
    responseUrl: (id) => `${origin}/response/${encodeURIComponent(id)}`,
    hostFile(file) {
      fileSeq += 1;
      const id = `F${String(fileSeq).padStart(8, '0')}U`;
      hostedFiles.set(id, {
        name: file.name,
        content: Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
        filetype: file.filetype ?? (file.name.endsWith('.json') ? 'json' : 'text'),
      });
      return id;
    },
    reset() {
      calls.length = 0;
      posted.clear();
      responders.clear();
      delayMs = 0;
    },
    close() {
      for (const waiter of waiters) waiter.fail(new Error('fake Slack closed while waiting'));
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseArgs(
  raw: Buffer,
  contentType: string | undefined,
  query: URLSearchParams,
): Promise<Record<string, unknown>> {
  const args: Record<string, unknown> = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = raw.toString('utf8');
  if (type === 'application/json' || (type === '' && text.trimStart().startsWith('{'))) {
    let parsed: unknown = {};
    try {
      parsed = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      parsed = { invalid_json: text };
    }
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(args, parsed);
    else args.body = parsed;
  } else if (type === 'multipart/form-data') {
    const form = await new Response(raw, { headers: { 'content-type': contentType ?? '' } }).formData();
    for (const [key, value] of form) args[key] = typeof value === 'string' ? value : `<file ${value.name}>`;
  } else if (text !== '') {
    Object.assign(args, Object.fromEntries(new URLSearchParams(text)));
  }
  for (const field of JSON_FIELDS) {
    const value = args[field];
    if (typeof value !== 'string') continue;
    try {
      args[field] = JSON.parse(value);
    } catch {
      // Slack would reject it; keep the string so the test can see what was sent.
    }
  }
  return args;
}

function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

function describeCalls(calls: SlackCall[]): string {
  if (calls.length === 0) return 'no calls seen';
  const lines = calls.map((c, i) => {
    const { token: _token, ...rest } = c.args;
    const args = JSON.stringify(rest);
    return `  ${i}. ${c.method} ${args.length > 300 ? `${args.slice(0, 300)}…` : args}`;
  });
  return `${calls.length} call(s) seen:\n${lines.join('\n')}`;
}
