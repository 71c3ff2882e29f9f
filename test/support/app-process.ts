/**
 * `npm start` (node dist/main.js) in its own process, configured by environment, against a fake Slack: for
 * tests that must kill the app for real (SIGKILL) or read what it logs. test/global-setup.ts builds dist/.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { SECRET } from './bot.js';
import { postToSlackApp, sign } from './slack-requests.js';
import { AS_IS, type ProcessUser } from './unprivileged.js';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Resolves with the promise's value, or with `otherwise` after `ms`. */
export async function within<T, U>(promise: Promise<T>, ms: number, otherwise: U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<U>((resolve) => {
    timer = setTimeout(() => resolve(otherwise), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SignedPostOptions {
  /** Signs with this secret (default the test secret). */
  readonly secret?: string;
  /** The signed timestamp, in seconds (default now). */
  readonly timestampSec?: number;
  /** Sent as is instead of the computed signature; null leaves out both Slack headers. */
  readonly signature?: string | null;
  /** Default: application/json for a JSON object body, else application/x-www-form-urlencoded. */
  readonly contentType?: string;
  /** Gives up after this long (default 6000 ms): a request the app never answers fails the test, not hangs it. */
  readonly timeoutMs?: number;
  /** Sends `connection: close`: after a refused upload the server's stop() then need not wait for the socket. */
  readonly closeConnection?: boolean;
}

export interface SignedPostResult {
  readonly status: number;
  readonly text: string;
  readonly ms: number;
}

/**
 * Like postToSlackApp, but bounded in time and able to leave the signature out: for requests the app should
 * refuse, or might never answer.
 */
export async function postSigned(
  url: string,
  body: string,
  options: SignedPostOptions = {},
): Promise<SignedPostResult> {
  const timestampSec = options.timestampSec ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type':
      options.contentType ??
      (body.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded'),
  };
  if (options.closeConnection) headers.connection = 'close';
  if (options.signature !== null) {
    headers['x-slack-request-timestamp'] = String(timestampSec);
    headers['x-slack-signature'] = options.signature ?? sign(options.secret ?? SECRET, body, timestampSec);
  }
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 6000),
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

export interface AppProcess {
  /** The HTTP port the app logged ("cmd-bot is running"); 0 when it did not start within the wait. */
  readonly port: number;
  readonly pid: number;
  /** http://127.0.0.1:PORT/slack/events */
  readonly url: string;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** The JSON log lines written so far, parsed (other lines are left out). */
  logs(): Record<string, unknown>[];
  /** POSTs a body signed with the test secret, now. */
  post(body: string): ReturnType<typeof postToSlackApp>;
  /** SIGKILL (no clean-up at all), then waits up to 2 s for the exit. */
  kill(): Promise<void>;
}

/**
 * Spawns the app with `env` (on top of a minimal PATH) and waits up to `startMs` for its port. Never leaves a
 * process behind on its own: call `kill()` (an afterEach should, whatever the test did).
 */
export async function spawnApp(options: {
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly startMs?: number;
  /** Runs the app as this user (see unprivileged.ts). */
  readonly user?: ProcessUser;
}): Promise<AppProcess> {
  const [program, args] = (options.user ?? AS_IS).launch(process.execPath, [MAIN]);
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(program, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  const port = new Promise<number>((resolve) => {
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /"port":(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(() => resolve(0));
  });
  const started = await within(port, options.startMs ?? 10_000, 0);
  const url = `http://127.0.0.1:${started}/slack/events`;
  return {
    port: started,
    pid: child.pid ?? -1,
    url,
    exited,
    output: () => output,
    logs: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    post: (body) => postToSlackApp(url, SECRET, body),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await within(exited, 2000, null);
    },
  };
}
