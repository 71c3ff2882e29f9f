/**
 * The real `npm start` (dist/main.js) in its own processes, against a fake Slack and a database file the test
 * seeds through the services: a bot started past a deadline catches up on its own, a process killed between
 * its commit and the delivery (even after Slack took the message) delivers exactly once after a restart, and
 * two processes on one database send each notice once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCoreConfig } from '../../src/config/core.js';
import type { DB } from '../../src/db/index.js';
import { openDatabase } from '../../src/db/index.js';
import { historyOf } from '../../src/db/repositories/audit.js';
import { listOutbox, listPending, markSent, type OutboxRow } from '../../src/db/repositories/outbox.js';
import { findTicket, listTicketsOfSubmission } from '../../src/db/repositories/tickets.js';
import * as schema from '../../src/db/schema.js';
import { LEASE_NAME } from '../../src/scheduler/index.js';
import {
  type Caller,
  createServiceContext,
  inject,
  registerProduct,
  type ServiceContext,
  startVerification,
  submit,
} from '../../src/services/index.js';
import { TEST_PLATFORMS, tempDir, testClock } from '../support/database.js';
import { dmChannelId, type FakeSlack, type SlackCall, startFakeSlack } from '../support/fake-slack.js';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const SECRET = 'test-signing-secret-0123456789';
const UMD_CHANNEL = 'C0UMDTEAM';
const EA_CHANNEL = 'C0EARLYAD';
const ARC_CHANNEL = 'C0ARCTEAM';
const CONTACT_ID = 'UCONTACT1';
const STAFF: Caller = { userId: 'USTAFF1', staff: true };
const CONTACT: Caller = { userId: CONTACT_ID, staff: false };
/** Past TKT-1's Verification deadline (2027-03-08) and its submission's month, not yet past the digest. */
const PAST_THE_DEADLINE = '2027-04-15 12:00:00';

const FAKETIME = onPath('faketime');
const NO_FAKETIME = 'faketime is not on PATH (Debian package faketime; .ci/run installs it)';

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, command);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this directory
    }
  }
  return null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves with the promise's value, or rejects with `what` after `ms`. */
async function bounded<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what()}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `condition` every 100 ms; fails with `what` after `ms`. */
async function until(condition: () => boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    let met = false;
    try {
      met = condition();
    } catch {
      met = false;
    }
    if (met) return;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what()}`);
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The app in its own process

interface LogLine {
  readonly msg?: string;
  readonly [key: string]: unknown;
}

interface AppProcess {
  readonly child: ChildProcess;
  /** Who this process is in the `leases` table, if it logged taking the lease. */
  leaseHolder(): string | undefined;
  output(): string;
  logs(): LogLine[];
  /** Resolves once the JSON logs say "cmd-bot is running"; rejects if the process exits first. */
  readonly running: Promise<void>;
  readonly exited: Promise<number | null>;
  /** SIGKILL to the whole process group (faketime and node), then waits for the exit. */
  kill(): Promise<void>;
}

const started: AppProcess[] = [];

/**
 * The faketime wrapper shares its fake clock through /dev/shm/faketime_shm_PID and a semaphore named after its
 * pid, and removes them when it exits normally. A SIGKILL leaves them behind, and a later wrapper that gets the
 * same pid then fails to start ("sem_open: File exists"): remove them once the wrapper has gone.
 */
function removeFaketimeSemaphore(pid: number | undefined): void {
  if (pid === undefined) return;
  for (const file of [`/dev/shm/faketime_shm_${pid}`, `/dev/shm/sem.faketime_sem_${pid}`]) {
    rmSync(file, { force: true });
  }
}

function spawnApp(options: {
  readonly slack: FakeSlack;
  readonly dbPath: string;
  readonly fakeTime?: string;
  readonly env?: Record<string, string>;
}): AppProcess {
  const cwd = tempDir('cmd-bot-proc-');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: options.slack.url,
    PORT: '0',
    DATABASE_PATH: options.dbPath,
    UMD_CHANNEL_ID: UMD_CHANNEL,
    EARLY_ADOPTERS_CHANNEL_ID: EA_CHANNEL,
    UMD_STAFF_USER_IDS: STAFF.userId,
    LOG_LEVEL: 'info',
    DIGEST_TIME: '23:59',
    TZ: 'UTC',
    ...options.env,
  };
  const [command, args] =
    options.fakeTime !== undefined
      ? [FAKETIME ?? 'faketime', [options.fakeTime, process.execPath, MAIN]]
      : [process.execPath, [MAIN]];
  if (options.fakeTime !== undefined) env.FAKETIME_DONT_FAKE_MONOTONIC = '1';
  // Its own process group: faketime forks node, and a kill must reach both.
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let pending = '';
  const lines: LogLine[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (options.fakeTime !== undefined) removeFaketimeSemaphore(child.pid);
      resolve(code);
    }),
  );
  let resolveRunning: () => void = () => {};
  const running = new Promise<void>((resolve, reject) => {
    resolveRunning = resolve;
    void exited.then((code) => reject(new Error(`the app exited (${code}) before running:\n${output}`)));
  });
  running.catch(() => {}); // observed by whoever awaits it
  const read = (chunk: Buffer) => {
    output += chunk;
    pending += chunk;
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const text of complete) {
      if (!text.trim().startsWith('{')) continue;
      try {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        if (line.msg === 'cmd-bot is running') resolveRunning();
      } catch {
        // not a log line
      }
    }
  };
  child.stdout?.on('data', read);
  child.stderr?.on('data', read);
  const app: AppProcess = {
    child,
    leaseHolder: () => {
      const took = lines.find((line) => line.msg === 'took the lease');
      return typeof took?.holder === 'string' ? took.holder : undefined;
    },
    output: () => output,
    logs: () => lines,
    running,
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await bounded(exited, 5000, () => `process ${child.pid} did not exit`).catch(() => null);
      rmSync(cwd, { recursive: true, force: true });
    },
  };
  started.push(app);
  return app;
}

async function startApp(options: Parameters<typeof spawnApp>[0]): Promise<AppProcess> {
  const app = spawnApp(options);
  await bounded(app.running, 15_000, () => `"cmd-bot is running" never logged:\n${app.output()}`);
  return app;
}

// ---------------------------------------------------------------------------------------------------------
// The database, seeded in this process through the services

interface Seeder {
  readonly ctx: ServiceContext;
  close(): void;
}

function seeder(dbPath: string, at: Date | string): Seeder {
  const handle = openDatabase(dbPath);
  const ctx = createServiceContext({
    db: handle.db,
    config: loadCoreConfig({ ...TEST_PLATFORMS, DIGEST_TIME: '23:59' }),
    clock: testClock(at),
  });
  return { ctx, close: () => handle.close() };
}

function registerArc(ctx: ServiceContext, platforms: string[]): void {
  registerProduct(
    ctx,
    {
      name: 'ARC',
      team: 'NorduGrid',
      contacts: [CONTACT_ID],
      contactChannel: ARC_CHANNEL,
      platforms,
      earlyAdopterSites: ['SITE-A'],
    },
    STAFF,
  );
}

function submitArc(ctx: ServiceContext, version: string) {
  return submit(
    ctx,
    {
      product: 'ARC',
      version,
      releaseNotes: `https://www.nordugrid.org/arc/releases/${version}`,
      packages: ['nordugrid-arc'],
    },
    CONTACT,
  );
}

/** A read-only look at the database file the apps write. */
interface Reader {
  readonly db: DB;
  pending(): OutboxRow[];
  all(): OutboxRow[];
  close(): void;
}

function reader(dbPath: string): Reader {
  const sqlite = new Database(dbPath, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  return { db, pending: () => listPending(db), all: () => listOutbox(db), close: () => sqlite.close() };
}

// ---------------------------------------------------------------------------------------------------------
// What Slack received

const posts = (slack: FakeSlack): SlackCall[] => slack.callsTo('chat.postMessage');
const keyOf = (call: SlackCall): string | undefined =>
  (call.args.metadata as { event_payload?: { outbox_key?: string } } | undefined)?.event_payload?.outbox_key;
/** How many chat.postMessage calls carried each outbox key. */
function postsPerKey(slack: FakeSlack): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of posts(slack)) {
    const key = keyOf(call) ?? '(no key)';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
const postsTo = (slack: FakeSlack, channel: string): SlackCall[] =>
  posts(slack).filter((call) => call.args.channel === channel);
const textOf = (call: SlackCall | undefined): string => String(call?.args.text ?? '');

/**
 * The keys a Slack message must carry for the rows the outbox settled: a notice row's own key, and for a
 * submission's card rows `card:N` when the card was first posted (a card edit that adds a thread line posts
 * that line under the last row's key).
 */
function expectEachKeyPostedOnce(slack: FakeSlack, rows: readonly OutboxRow[]): void {
  const counts = postsPerKey(slack);
  expect(Object.entries(counts).filter(([, n]) => n !== 1)).toEqual([]);
  expect(counts['(no key)']).toBeUndefined();
  for (const row of rows) {
    if (row.recipientKind === 'card') continue;
    expect(counts[row.key], `notice ${row.key}`).toBe(1);
  }
  for (const submissionId of new Set(rows.filter((r) => r.recipientKind === 'card').map((r) => r.recipient)))
    expect(counts[`card:${submissionId}`], `card of submission ${submissionId}`).toBe(1);
}

// ---------------------------------------------------------------------------------------------------------

let dir: string;
let dbPath: string;
let slack: FakeSlack;
let readers: Reader[];

beforeEach(async () => {
  dir = tempDir('cmd-bot-processes-');
  dbPath = join(dir, 'cmd-bot.sqlite');
  slack = await startFakeSlack();
  readers = [];
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((app) => app.kill()));
  for (const r of readers) r.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

const openReader = (): Reader => {
  const r = reader(dbPath);
  readers.push(r);
  return r;
};

/**
 * ARC on one platform, SUB-1 injected on 2027-03-01 and TKT-1 in Verification until 2027-03-08; every notice of
 * that went out while the bot was running, so the outbox holds nothing pending.
 */
function seedTicketInVerification(): Set<string> {
  const seed = seeder(dbPath, '2027-03-01T09:00:00Z');
  try {
    registerArc(seed.ctx, ['el9/x86_64']);
    submitArc(seed.ctx, '6.21.1');
    inject(seed.ctx, 1, { expectedVersion: 1 }, STAFF);
    startVerification(seed.ctx, 1, { expectedVersion: 1 }, STAFF);
    expect(findTicket(seed.ctx.db, 1)?.state).toMatchObject({
      status: 'verification',
      deadline: new Date('2027-03-08T09:00:00Z'),
    });
    markSent(
      seed.ctx.db,
      listPending(seed.ctx.db).map((row) => row.id),
      new Date('2027-03-01T09:00:00Z'),
    );
    return new Set(listOutbox(seed.ctx.db).map((row) => row.key));
  } finally {
    seed.close();
  }
}

const delayTexts = (call: SlackCall) =>
  /TKT-1 ARC 6\.21\.1 \(UMD-5\) on el9\/x86_64 is Delayed/.test(textOf(call));

describe('a bot started after a deadline passed', () => {
  it('Started with its clock moved past a deadline, a freshly started bot delays the ticket and tells the product team, with no request from anyone', async (context) => {
    context.skip(FAKETIME === null, NO_FAKETIME);
    seedTicketInVerification();

    const app = await startApp({
      slack,
      dbPath,
      fakeTime: PAST_THE_DEADLINE,
      env: { DELAY_NOTICE_HOLD_HOURS: '0' },
    });
    await slack
      .waitFor((calls) => {
        const sent = calls.filter((c) => c.method === 'chat.postMessage');
        return [CONTACT_ID, ARC_CHANNEL, UMD_CHANNEL].every((channel) =>
          sent.some((c) => c.args.channel === channel && delayTexts(c)),
        );
      }, 15_000)
      .catch((error: unknown) => {
        throw new Error(`${String(error)}\n--- the app's output:\n${app.output()}`);
      });

    // Nobody asked: only the start-up check ran, under the moved clock.
    const check = app.logs().find((line) => line.msg === 'delay check done');
    expect(check).toMatchObject({ reason: 'start-up', delayed: 1 });
    const db = openReader().db;
    expect(findTicket(db, 1)?.state).toMatchObject({ status: 'delayed', delayedFrom: 'verification' });
    expect(historyOf(db, 'ticket', 1).at(-1)).toMatchObject({ event: 'delay', actor: 'system' });

    const dm = postsTo(slack, CONTACT_ID).filter(delayTexts);
    const teamChannel = postsTo(slack, ARC_CHANNEL).filter(delayTexts);
    const umd = postsTo(slack, UMD_CHANNEL).filter(delayTexts);
    expect(dm).toHaveLength(1);
    expect(teamChannel).toHaveLength(1);
    expect(textOf(dm[0])).toContain('The Verification limit of 7 days passed at 2027-03-08 09:00 UTC');
    expect(textOf(teamChannel[0])).toBe(textOf(dm[0]));
    // The UMD team is asked for the reasons.
    expect(umd.map(textOf)).toEqual([expect.stringContaining('Please add the reasons with Explain delay.')]);
  });
});

describe('a process killed between the change and its delivery', () => {
  /** ARC on two platforms, SUB-1 submitted and injected a moment ago, and every notice of it still pending. */
  function seedPendingInjection(): OutboxRow[] {
    const seed = seeder(dbPath, new Date(Date.now() - 5_000));
    try {
      registerArc(seed.ctx, ['el9/x86_64', 'el8/x86_64']);
      submitArc(seed.ctx, '6.21.1');
      inject(seed.ctx, 1, { expectedVersion: 1 }, STAFF);
      expect(listTicketsOfSubmission(seed.ctx.db, 1)).toHaveLength(2);
      const pending = listPending(seed.ctx.db);
      expect(pending.length).toBeGreaterThan(1);
      expect(pending.every((row) => row.attempts === 0)).toBe(true);
      return pending;
    } finally {
      seed.close();
    }
  }

  it('when the process died after the commit and before any delivery, then a new process delivers each notice once', async () => {
    const queued = seedPendingInjection();

    await startApp({ slack, dbPath });
    const db = openReader();
    await until(
      () => db.pending().length === 0,
      20_000,
      () => `outbox still pending: ${JSON.stringify(db.pending().map((r) => r.key))}`,
    );

    expect(db.all().filter((row) => row.deadAt !== null)).toEqual([]);
    expectEachKeyPostedOnce(slack, queued);
    // Nothing was tried before, so nothing needed a look at the history.
    expect(slack.callsTo('conversations.history')).toEqual([]);
  });

  /**
   * Starts the app with Slack answering slowly, SIGKILLs it as soon as the fake records the message with
   * `killAtKey` (it reached Slack; its answer had not come back), checks that Slack holds it and the database
   * does not know, then restarts the app at normal speed and waits for the outbox to be empty.
   */
  async function killWhileSlackAnswers(killAtKey: string, historyChannel: string): Promise<void> {
    slack.setDelay(1500);
    const doomed = spawnApp({ slack, dbPath });
    await slack.waitFor(
      (calls) => calls.some((c) => c.method === 'chat.postMessage' && keyOf(c) === killAtKey),
      20_000,
    );
    await doomed.kill();
    expect(posts(slack).map(keyOf).at(-1)).toBe(killAtKey);

    // Slack took it: it shows in the channel's history once the fake's (delayed) answer would have gone out.
    const history = async () => {
      const response = await fetch(
        `${slack.url}conversations.history?channel=${historyChannel}&include_all_metadata=true&probe=test`,
        { signal: AbortSignal.timeout(3000) },
      );
      const body = (await response.json()) as { messages?: { metadata?: unknown }[] };
      return (body.messages ?? []).map((m) => m.metadata);
    };
    const taken = { event_type: 'cmd_bot_notice', event_payload: { outbox_key: killAtKey } };
    const deadline = Date.now() + 5000;
    while (
      !(await history()).some((m) => JSON.stringify(m) === JSON.stringify(taken)) &&
      Date.now() < deadline
    )
      await sleep(100);
    expect(await history()).toContainEqual(taken);
    // The database says that attempt's outcome is unknown: tried once, not marked sent.
    const db = openReader();
    const row = db
      .all()
      .find((r) => (killAtKey.startsWith('card:') ? r.recipientKind === 'card' : r.key === killAtKey));
    expect(row).toMatchObject({ attempts: 1, sentAt: null });
    // The dead process still holds an unexpired lease; the restarted one sees that its holder's process on
    // this machine is gone and takes over at once instead of waiting for the lease to run out.
    const lease = db.db.select().from(schema.leases).get();
    expect(lease?.holder).toBe(doomed.leaseHolder());
    expect(lease?.expiresAt.getTime()).toBeGreaterThan(Date.now());

    slack.setDelay(0);
    await startApp({ slack, dbPath });
    await until(
      () => db.pending().length === 0,
      20_000,
      () => `outbox still pending: ${JSON.stringify(db.pending().map((r) => r.key))}`,
    );
    expect(db.all().filter((r) => r.deadAt !== null)).toEqual([]);
    // The restarted process looked for the message before posting it again.
    const looked = slack
      .callsTo('conversations.history')
      .filter((c) => c.args.probe === undefined && c.args.channel === historyChannel);
    expect(looked.length).toBeGreaterThanOrEqual(1);
  }

  it('A process killed after the change but before delivery delivers exactly once after restart', async () => {
    const queued = seedPendingInjection();
    expect(queued[0]).toMatchObject({ recipientKind: 'card', recipient: '1' });

    // The first message (the card) reaches Slack, and the process dies before the answer comes back.
    await killWhileSlackAnswers('card:1', UMD_CHANNEL);

    expectEachKeyPostedOnce(slack, queued);
  });

  it('when the process is killed while Slack takes a DM, then the restarted process finds it in the DM and does not post it again', async () => {
    const queued = seedPendingInjection();
    const dm = queued.find((row) => row.recipientKind === 'user' && row.recipient === CONTACT_ID);
    expect(dm).toBeDefined();

    // The worker asks for the DM channel (conversations.open) and looks in its history.
    await killWhileSlackAnswers(dm?.key ?? '', dmChannelId(CONTACT_ID));

    expectEachKeyPostedOnce(slack, queued);
    expect(postsTo(slack, CONTACT_ID).map(keyOf)).toEqual([dm?.key]);
  });
});

describe('two processes on one database', () => {
  it('Two processes on one database send each notice once', async () => {
    const seed = seeder(dbPath, new Date(Date.now() - 5_000));
    registerArc(seed.ctx, ['el9/x86_64', 'el8/x86_64']);
    seed.close();

    const apps = await Promise.all([startApp({ slack, dbPath }), startApp({ slack, dbPath })]);

    // Queued by another process (as the CLI would) while both run: only the poll finds it.
    const cli = seeder(dbPath, new Date(Date.now() - 1_000));
    let queued: OutboxRow[];
    try {
      submitArc(cli.ctx, '6.21.1');
      submitArc(cli.ctx, '6.22.0');
      inject(cli.ctx, 1, { expectedVersion: 1 }, STAFF);
      inject(cli.ctx, 2, { expectedVersion: 1 }, STAFF);
      queued = listOutbox(cli.ctx.db);
    } finally {
      cli.close();
    }
    const db = openReader();
    await until(
      () => db.pending().length === 0,
      25_000,
      () => `outbox still pending: ${JSON.stringify(db.pending().map((r) => r.key))}`,
    );

    expect(db.all().filter((row) => row.deadAt !== null)).toEqual([]);
    expectEachKeyPostedOnce(slack, queued);
    const leases = db.db.select().from(schema.leases).all();
    expect(leases).toHaveLength(1);
    expect(leases[0]?.name).toBe(LEASE_NAME);
    // One process took the lease (and is the one in the table: hostname:pid:random); the other never did.
    const holders = apps.filter((app) => app.leaseHolder() !== undefined);
    expect(holders).toHaveLength(1);
    expect(leases[0]?.holder).toBe(holders[0]?.leaseHolder());
    expect(leases[0]?.holder).toContain(`:${holders[0]?.child.pid}:`);
    expect(leases[0]?.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('A check run twice at the same time sends nothing new', async (context) => {
    context.skip(FAKETIME === null, NO_FAKETIME);
    const seeded = seedTicketInVerification();

    const apps = await Promise.all(
      [1, 2].map(() =>
        startApp({ slack, dbPath, fakeTime: PAST_THE_DEADLINE, env: { DELAY_NOTICE_HOLD_HOURS: '0' } }),
      ),
    );
    const db = openReader();
    await until(
      () => findTicket(db.db, 1)?.state.status === 'delayed' && db.pending().length === 0,
      20_000,
      () =>
        `ticket ${findTicket(db.db, 1)?.state.status}, pending ${db.pending().length}\n` +
        apps.map((app) => app.output()).join('\n---\n'),
    );
    // Give a second check, had one run, the time to queue and send its own notices.
    await sleep(2500);

    expect(historyOf(db.db, 'ticket', 1).filter((h) => h.event === 'delay')).toHaveLength(1);
    const delayRows = db.all().filter((row) => !seeded.has(row.key));
    expect(delayRows.map((row) => `${row.payload.topic}:${row.recipient}`)).toEqual(
      expect.arrayContaining(['delayed:UCONTACT1', `delayed:${ARC_CHANNEL}`, 'delay_explanation_needed:umd']),
    );
    expectEachKeyPostedOnce(slack, delayRows);
    for (const channel of [CONTACT_ID, ARC_CHANNEL, UMD_CHANNEL])
      expect(postsTo(slack, channel).filter(delayTexts), channel).toHaveLength(1);
    const checks = apps.flatMap((app) => app.logs().filter((line) => line.msg === 'delay check done'));
    expect(checks.map((line) => line.delayed)).not.toContain(undefined);
    expect(checks.reduce((sum, line) => sum + Number(line.delayed), 0)).toBe(1);
  });
});
