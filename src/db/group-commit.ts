/**
 * Group commit for the running bot. A commit is the dearest part of a small use case (a dozen pages appended to
 * the WAL, and now and then a checkpoint), so the bot lets every use case that runs in one turn of the event
 * loop share one: the first opens `BEGIN IMMEDIATE`, each runs in its own savepoint (so a refused or failed one
 * undoes only its own writes), and the batch commits at the end of the turn (`setImmediate`).
 *
 * A use case still returns at once; what changes is when its effects are durable. Whoever tells the outside
 * world about a change waits for `whenDurable()` first: the Slack app before every ack, the outbox worker before
 * it reads what to send and before each Slack call. Other processes (the CLI, a second bot) see only committed
 * data, as before, and wait on the write lock for at most one turn of the loop.
 *
 * The CLI and the tests of the use cases do not enable it: there `immediate()` commits each use case itself.
 */
import type Database from 'better-sqlite3';

const ROLLED_BACK = 'the database rolled back a group of changes (see the previous error)';

interface OpenBatch {
  readonly durable: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  private open: OpenBatch | null = null;
  private afterCommit: (() => void)[] = [];
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;

  constructor(private readonly connection: Database.Database) {
    this.begin = connection.prepare('BEGIN IMMEDIATE');
    this.commit = connection.prepare('COMMIT');
    this.rollback = connection.prepare('ROLLBACK');
  }

  /**
   * Runs `work` inside the open batch, opening one if needed. `work` must make its own savepoint (better-sqlite3's
   * transaction functions do when a transaction is open), so that its failure does not undo the others'.
   */
  run<T>(work: () => T): T {
    if (this.open && !this.connection.inTransaction) {
      // SQLite rolled the whole transaction back on its own (a full disk, an I/O error): what the batch held
      // is gone, and those who are waiting for it must hear so.
      this.settle(new Error(ROLLED_BACK));
    }
    if (!this.open) this.start();
    return work();
  }

  /** Resolves when everything written so far is committed; rejects if that commit failed. */
  whenDurable(): Promise<void> {
    return this.open?.durable ?? Promise.resolve();
  }

  /** True while writes are waiting for their commit: reads on this connection would see them. */
  get pending(): boolean {
    return this.open !== null;
  }

  /**
   * Runs `work` when no batch is open on the connection: now if none is, else right after the open batch commits
   * (or is rolled back), before anything else can open the next. `work` handles its own errors.
   */
  betweenCommits(work: () => void): void {
    if (this.open) this.afterCommit.push(work);
    else work();
  }

  /** Commits now, synchronously (before the database is closed). */
  flush(): void {
    if (this.open) this.finish();
  }

  private start(): void {
    this.begin.run();
    let resolve: () => void = () => {};
    let reject: (error: unknown) => void = () => {};
    const durable = new Promise<void>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    // Nobody may be waiting (a write whose caller tells no one); a failure is still logged by the caller of
    // whenDurable() when there is one, and must not become an unhandled rejection when there is none.
    durable.catch(() => {});
    this.open = { durable, resolve, reject };
    setImmediate(() => this.finish());
  }

  private finish(): void {
    if (!this.open) return;
    if (!this.connection.inTransaction) {
      this.settle(new Error(ROLLED_BACK));
      return;
    }
    try {
      this.commit.run();
      this.settle(null);
    } catch (error) {
      if (this.connection.inTransaction) this.rollback.run();
      this.settle(error);
    }
  }

  private settle(error: unknown): void {
    const batch = this.open;
    this.open = null;
    if (!batch) return;
    if (error === null) batch.resolve();
    else batch.reject(error);
    const waiting = this.afterCommit;
    this.afterCommit = [];
    for (const work of waiting) work();
  }
}
