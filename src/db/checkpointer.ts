/**
 * WAL checkpoints off the event loop, for the running bot.
 *
 * SQLite's automatic checkpoint runs inside whichever commit takes the WAL past 1,000 pages: that commit copies
 * the pages into the database file and waits for two fsyncs, and the bot's event loop waits with it. Under load
 * that made one batch in a hundred take 7 to 11 ms instead of 1.6 (docs/performance.md). So the bot turns the
 * automatic checkpoint off on its connection, and a worker thread with a connection of its own runs a PASSIVE
 * checkpoint every `intervalMs`. A passive checkpoint never holds up the bot's writes.
 *
 * The WAL starts over only when a checkpoint has caught up with the last commit, and under sustained writes the
 * thread stays a commit or two behind, so the file keeps growing. Past `catchUpAfterPages` the bot's own
 * connection runs one passive checkpoint between two commits: the thread has copied nearly everything already,
 * so it copies the last few pages, and the next commit starts the WAL over. (A RESTART checkpoint from the
 * thread would bound it too, but it holds the bot's writes while SQLite's busy handler sleeps in steps of up to
 * 100 ms: batches of 50 to 230 ms were measured.)
 *
 * If the worker dies, the bot's connection gets its automatic checkpoint back, so the WAL never grows unchecked.
 * The CLI and the tests of the use cases keep SQLite's automatic checkpoint.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { betweenCommits, type DatabaseHandle } from './index.js';

/** SQLite's own default for `wal_autocheckpoint`, given back when the worker stops or dies. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

export interface CheckpointerOptions {
  readonly intervalMs?: number;
  /** WAL pages after which the bot's connection catches up itself (16,384 pages of 4 KiB: 64 MiB). */
  readonly catchUpAfterPages?: number;
  /** What the worker could not do (it goes on) or why it died (the automatic checkpoint is back). */
  readonly onError?: (error: Error) => void;
  /** Each checkpoint's figures: pages in the WAL and pages copied into the database file. For tests. */
  readonly onCheckpoint?: (result: CheckpointResult) => void;
  /** The module the worker opens the file with; tests point it elsewhere to make the worker fail. */
  readonly driver?: string;
}

export interface CheckpointResult {
  /** `thread`: the worker's; `catch-up`: the bot connection's own, past `catchUpAfterPages`. */
  readonly by: 'thread' | 'catch-up';
  readonly busy: number;
  readonly log: number;
  readonly checkpointed: number;
}

export interface Checkpointer {
  /** Stops the worker and gives the connection its automatic checkpoint back. */
  stop(): Promise<void>;
}

type Figures = Omit<CheckpointResult, 'by'>;
type FromWorker = { readonly checkpoint: Figures } | { readonly error: string };

/**
 * The worker's code, run as CommonJS from a string so that it works the same from `dist/` and from the sources
 * under vitest or tsx; `driver` is better-sqlite3 as this module resolves it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
const timer = setInterval(() => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ checkpoint: result });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(handle: DatabaseHandle, options: CheckpointerOptions = {}): Checkpointer {
  const { sqlite } = handle;
  // An in-memory database (journal_mode `memory`) has no WAL to copy.
  if (sqlite.pragma('journal_mode', { simple: true }) !== 'wal') {
    return { stop: async () => {} };
  }
  const report = options.onError ?? (() => {});
  const catchUpAfterPages = options.catchUpAfterPages ?? 16_384;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      path: handle.path,
      driver: options.driver ?? createRequire(import.meta.url).resolve('better-sqlite3'),
      intervalMs: options.intervalMs ?? 200,
      busyTimeoutMs: 5000,
    },
  });
  // The bot must never wait for this thread to exit.
  worker.unref();
  sqlite.pragma('wal_autocheckpoint = 0');
  let running = true;
  const giveBack = () => {
    if (!running) return;
    running = false;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  };

  // Run between two commits (a group commit's transaction stays open until the end of its turn).
  let catchingUp = false;
  // The WAL's length when the bot's connection last caught up: until it grows past it, the next commit starts the
  // WAL over without another catch-up (an idle bot after a burst would otherwise catch up five times a second).
  let caughtUpAt = 0;
  const catchUp = () => {
    catchingUp = false;
    if (!running || !sqlite.open) return;
    try {
      const [figures] = sqlite.pragma('wal_checkpoint(PASSIVE)') as Figures[];
      if (!figures) return;
      if (figures.busy === 0) caughtUpAt = figures.log;
      options.onCheckpoint?.({ by: 'catch-up', ...figures });
    } catch (error) {
      report(new Error(`WAL checkpoint failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  };

  worker.on('message', (message: FromWorker) => {
    if ('error' in message) {
      report(new Error(`WAL checkpoint failed: ${message.error}`));
      return;
    }
    const { log } = message.checkpoint;
    options.onCheckpoint?.({ by: 'thread', ...message.checkpoint });
    if (log < caughtUpAt) caughtUpAt = 0; // the WAL started over
    if (log > catchUpAfterPages && log > caughtUpAt && !catchingUp) {
      catchingUp = true;
      betweenCommits(handle.db, catchUp);
    }
  });
  worker.on('error', (error) => {
    giveBack();
    report(new Error(`the WAL checkpointer stopped, SQLite checkpoints in the bot again: ${error.message}`));
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(giveBack);
  return {
    stop: async () => {
      // Referenced again, so that the process waits for the thread's exit rather than end with it unsettled.
      worker.ref();
      if (running) worker.postMessage('stop');
      await exited;
      giveBack();
    },
  };
}
