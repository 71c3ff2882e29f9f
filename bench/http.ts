/** Load against the app on loopback with autocannon, and the baseline: a bare Bolt app that only acks. */

import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const SECRET = 'bench-signing-secret-0123456789';

export function signedHeaders(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`,
  };
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly total: number;
}

/** `next()` gives the next request's form body; each request is signed as Slack would sign it. */
export async function load(
  url: string,
  next: () => string,
  options: { connections?: number; seconds?: number } = {},
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections ?? 20,
    duration: options.seconds ?? 8,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const text = next();
          return { ...request, body: text, headers: { ...request.headers, ...signedHeaders(text) } };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

/**
 * Two servers under the same load, in turns (baseline, measured, baseline, measured, …) after a short warm-up of
 * each, so that a slow moment of this shared machine does not land on one side only. Each side's figures are the
 * mean of its turns.
 */
export async function loadInTurns(
  sides: {
    readonly baseline: { url: string; next: () => string };
    readonly measured: { url: string; next: () => string };
  },
  options: { seconds: number; turns?: number },
): Promise<{ baseline: LoadResult; measured: LoadResult }> {
  const turns = options.turns ?? 3;
  const seconds = Math.max(1, Math.round(options.seconds / turns));
  for (const side of [sides.baseline, sides.measured]) await load(side.url, side.next, { seconds: 1 });
  const results: { baseline: LoadResult[]; measured: LoadResult[] } = { baseline: [], measured: [] };
  for (let turn = 0; turn < turns; turn++) {
    results.baseline.push(await load(sides.baseline.url, sides.baseline.next, { seconds }));
    results.measured.push(await load(sides.measured.url, sides.measured.next, { seconds }));
  }
  return { baseline: meanOf(results.baseline), measured: meanOf(results.measured) };
}

function meanOf(results: readonly LoadResult[]): LoadResult {
  const mean = (pick: (result: LoadResult) => number) =>
    results.reduce((sum, result) => sum + pick(result), 0) / results.length;
  const sum = (pick: (result: LoadResult) => number) =>
    results.reduce((total, result) => total + pick(result), 0);
  return {
    requestsPerSecond: mean((result) => result.requestsPerSecond),
    p50: mean((result) => result.p50),
    p99: mean((result) => result.p99),
    errors: sum((result) => result.errors),
    non2xx: sum((result) => result.non2xx),
    total: sum((result) => result.total),
  };
}

export interface RunningServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Runs a server in its own process, as in production, so that it does not share an event loop with the load
 * generator or the fake Web API. Resolves when it logs `ready` (a JSON line with its port).
 */
export function spawnServer(
  args: readonly string[],
  env: Record<string, string>,
  ready: string,
): Promise<RunningServer> {
  const child = spawn(process.execPath, [...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 30 s: ${output}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      for (const line of output.split('\n')) {
        if (!line.includes(ready)) continue;
        const port = (JSON.parse(line) as { port?: number }).port;
        if (!port) continue;
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${port}/slack/events`,
          pid: child.pid ?? 0,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
        return;
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

/** What `npm start` is configured with in the benchmarks: the fake Web API at `slackUrl`, the database at `path`. */
export function botEnvironment(slackUrl: string, path: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackUrl,
    PORT: '0',
    DATABASE_PATH: path,
    UMD_CHANNEL_ID: 'C0UMD',
    EARLY_ADOPTERS_CHANNEL_ID: 'C0EA',
    UMD_STAFF_USER_IDS: 'USTAFF1',
    LOG_LEVEL: 'info',
    DIGEST_TIME: '23:59',
  };
}

/**
 * The bare Bolt baseline; with `databasePath`, one that commits each request to SQLite before acking it.
 * `nodeOptions` go before the script (a CPU profile's flags).
 */
export function startBareBolt(
  databasePath?: string,
  nodeOptions: readonly string[] = [],
): Promise<RunningServer> {
  return spawnServer(
    [...nodeOptions, fileURLToPath(new URL('./bare-bolt.mjs', import.meta.url))],
    { SLACK_SIGNING_SECRET: SECRET, ...(databasePath ? { BARE_DATABASE_PATH: databasePath } : {}) },
    'bare bolt is running',
  );
}

export function commandBody(command: string, text: string, userId: string): string {
  return new URLSearchParams({
    token: 'x',
    team_id: 'T0BENCH',
    channel_id: 'C0BENCH',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command,
    text,
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: '1.2.3',
  }).toString();
}

export function viewSubmissionBody(
  userId: string,
  callbackId: string,
  privateMetadata: string,
  values: object,
): string {
  const payload = {
    type: 'view_submission',
    team: { id: 'T0BENCH' },
    user: { id: userId, team_id: 'T0BENCH' },
    api_app_id: 'A0BENCH',
    token: 'x',
    trigger_id: '1.2.3',
    view: {
      id: 'V0BENCH',
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      state: { values },
    },
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
