/**
 * Runs the delay check on CHECK_SCHEDULE and once at start-up, in the one process that holds the lease.
 *
 * Deadlines live in the database, so a missed run loses nothing: the next run finds everything due. Still, a
 * run should not be missed: the cron is read in UTC (node-schedule skips an hour when local clocks go back),
 * and a watchdog notices a job that did not fire when expected (node-schedule timers can be lost after ~24
 * days of uptime) and runs the check and schedules the job again.
 */
import { hostname } from 'node:os';
import schedule from 'node-schedule';
import type { DB } from '../db/index.js';
import { acquireLease, releaseLease } from '../db/repositories/leases.js';
import type { Logger } from '../logging.js';
import { checkDelays, type DelayCheckResult, type ServiceContext } from '../services/index.js';

export const LEASE_NAME = 'delay-check-and-outbox';

export interface SchedulerOptions {
  readonly ctx: ServiceContext;
  readonly db: DB;
  readonly logger: Logger;
  readonly cron: string;
  /** Called after each check that queued something, to send it at once. */
  readonly afterCheck?: (result: DelayCheckResult) => void;
  /** Told how long each check this process ran took, and whether it succeeded (for /metrics). */
  readonly checkRan?: (seconds: number, succeeded: boolean) => void;
  readonly leaseTtlMs?: number;
  readonly watchdogMs?: number;
  readonly holder?: string;
}

export class Scheduler {
  private job: schedule.Job | null = null;
  private watchdog: NodeJS.Timeout | undefined;
  private expectedNext: Date | null = null;
  private holding = false;
  readonly holder: string;
  private readonly leaseTtlMs: number;

  constructor(private readonly options: SchedulerOptions) {
    this.holder = options.holder ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    this.leaseTtlMs = options.leaseTtlMs ?? 60_000;
  }

  /** Whether this process may run the check and send notices now. */
  holdsLease(): boolean {
    return this.holding;
  }

  start(): void {
    this.renewLease();
    this.scheduleJob();
    this.runCheck('start-up');
    const every = this.options.watchdogMs ?? Math.min(20_000, Math.floor(this.leaseTtlMs / 3));
    this.watchdog = setInterval(() => this.tick(), every);
    this.watchdog.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.watchdog);
    this.job?.cancel();
    this.job = null;
    if (this.holding) releaseLease(this.options.db, LEASE_NAME, this.holder);
    this.holding = false;
  }

  private renewLease(): void {
    const had = this.holding;
    try {
      this.holding = acquireLease(
        this.options.db,
        LEASE_NAME,
        this.holder,
        new Date(),
        this.leaseTtlMs,
        holderIsGone,
      );
    } catch (error) {
      this.holding = false;
      this.options.logger.warn({ err: error }, 'could not renew the lease');
    }
    if (had !== this.holding) {
      this.options.logger.info(
        { holder: this.holder, holding: this.holding },
        this.holding ? 'took the lease' : 'lost the lease',
      );
    }
    // A process that just took over catches up at once.
    if (!had && this.holding && this.job) this.runCheck('lease taken');
  }

  private scheduleJob(): void {
    this.job?.cancel();
    this.job = schedule.scheduleJob({ rule: this.options.cron, tz: 'UTC' }, () => this.runCheck('schedule'));
    this.expectedNext = this.job?.nextInvocation() ?? null;
    if (!this.job)
      this.options.logger.error({ cron: this.options.cron }, 'CHECK_SCHEDULE could not be scheduled');
  }

  private tick(): void {
    this.renewLease();
    const late = this.expectedNext !== null && Date.now() > this.expectedNext.getTime() + 60_000;
    if (late || !this.job) {
      this.options.logger.warn(
        { expected: this.expectedNext },
        'the scheduled check did not run: running it and rescheduling',
      );
      this.scheduleJob();
      this.runCheck('watchdog');
    }
  }

  /**
   * Runs one check if this process holds the lease. The check is synchronous (one SQLite transaction), so two
   * can never overlap within a process; the lease keeps other processes out.
   */
  runCheck(reason: string): void {
    this.expectedNext = this.job?.nextInvocation() ?? this.expectedNext;
    if (!this.holding) return;
    const started = performance.now();
    const ran = (succeeded: boolean) =>
      this.options.checkRan?.((performance.now() - started) / 1000, succeeded);
    try {
      const result = checkDelays(this.options.ctx);
      ran(true);
      this.options.logger.info(
        {
          reason,
          delayed: result.delayed.length,
          overdueInjections: result.overdueInjections.length,
          warnings: result.warnings,
          queued: result.queued,
        },
        'delay check done',
      );
      if (result.queued > 0) this.options.afterCheck?.(result);
    } catch (error) {
      ran(false);
      this.options.logger.error({ err: error, reason }, 'delay check failed');
    }
  }
}

/**
 * A holder on this machine whose process no longer exists (a bot that was killed and restarted) is gone: its
 * successor need not wait for the lease to expire. A holder on another machine is never assumed gone.
 */
export function holderIsGone(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || !pid || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
