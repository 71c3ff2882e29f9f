/**
 * WAL checkpoints off the event loop, for the running bot.
 *
 * SQLite's automatic checkpoint runs inside whichever commit takes the WAL past 1,000 pages: that commit copies
 * the pages into the database file and waits for two fsyncs, and the bot's event loop waits with it. Under load
 * that was a fifth of a ticket move's time (docs/performance.md). So the bot turns the automatic checkpoint off
 * on its connection, and a worker thread with a connection of its own runs a PASSIVE checkpoint every
 * `intervalMs`. A passive checkpoint never holds up the bot's writes.
 *
 * The WAL starts over only when a checkpoint has caught up with the last commit. Under sustained load the
 * checkpointer can stay one commit behind and the file keeps growing. Past `restartAfterPages` the worker runs a
 * RESTART checkpoint instead: it holds the bot's writes for a moment and bounds the file.
 *
 * If the worker dies, the bot's connection gets its automatic checkpoint back, so the WAL never grows unchecked.
 * The CLI and the tests of the use cases keep SQLite's automatic checkpoint.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { DatabaseHandle } from './index.js';

/** SQLite's own default for `wal_autocheckpoint`, given back when the worker stops or dies. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

export interface CheckpointerOptions {
  readonly intervalMs?: number;
  /** WAL pages after which the worker makes the WAL start over (16,384 pages of 4 KiB: 64 MiB). */
  readonly restartAfterPages?: number;
  /** What the worker could not do (it goes on) or why it died (the automatic checkpoint is back). */
  readonly onError?: (error: Error) => void;
  /** Each checkpoint's figures: pages in the WAL and pages copied into the database file. For tests. */
  readonly onCheckpoint?: (result: CheckpointResult) => void;
  /** The module the worker opens the file with; tests point it elsewhere to make the worker fail. */
  readonly driver?: string;
}

export interface CheckpointResult {
  readonly mode: 'PASSIVE' | 'RESTART';
  readonly busy: number;
  readonly log: number;
  readonly checkpointed: number;
}

export interface Checkpointer {
  /** Stops the worker and gives the connection its automatic checkpoint back. */
  stop(): Promise<void>;
}

type FromWorker = { readonly checkpoint: CheckpointResult } | { readonly error: string };

/**
 * The worker's code, run as CommonJS from a string so that it works the same from `dist/` and from the sources
 * under vitest or tsx; `driver` is better-sqlite3 as this module resolves it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
const checkpoint = (mode) => {
  const [result] = db.pragma('wal_checkpoint(' + mode + ')');
  parentPort.postMessage({ checkpoint: { mode, ...result } });
  return result;
};
const timer = setInterval(() => {
  try {
    const passive = checkpoint('PASSIVE');
    if (passive.log > workerData.restartAfterPages) checkpoint('RESTART');
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
  if (handle.path === ':memory:' || sqlite.pragma('journal_mode', { simple: true }) !== 'wal') {
    return { stop: async () => {} };
  }
  const report = options.onError ?? (() => {});
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      path: handle.path,
      driver: options.driver ?? createRequire(import.meta.url).resolve('better-sqlite3'),
      intervalMs: options.intervalMs ?? 200,
      restartAfterPages: options.restartAfterPages ?? 16_384,
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
  worker.on('message', (message: FromWorker) => {
    if ('error' in message) report(new Error(`WAL checkpoint failed: ${message.error}`));
    else options.onCheckpoint?.(message.checkpoint);
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
